"""A generated project gone bad: its tests try to steal and to stay behind."""
