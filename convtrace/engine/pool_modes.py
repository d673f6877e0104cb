"""The pooling modes' codes, as the compiled routines take them (a module of its own, so naming them
loads none of the pooling loops)."""

MAX, MIN, AVG, SUM = 0, 1, 2, 3
