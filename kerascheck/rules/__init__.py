"""The rules: one module per rule (``kc101_single_unit_softmax.py``...), discovered by ``base.all_rules``."""
