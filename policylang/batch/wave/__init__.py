"""The wave engine: every mechanism of the language, vectorised across persons.

The closed-form kernel (batch/kernel.py) settles a scheme whose running totals have a closed form (a
deductible or cap as min(C, U_i) − min(C, U_{i−1}) of a segmented cumulative sum). Everything else — the
n-th admission, the highest level so far, accounts, fee limits, named and per-field accumulators, one-off
payments, top-ups, steps after the ratio, layers on what a cap cut off — is a small state machine per
person. The wave engine runs that machine for all persons at once: claims are sorted by person and time, and
step k settles every person's k-th claim together, with NumPy, reading and writing running totals that live in
int64 arrays (one slot per person and accumulator key, worked out for every row before the first step).
"""
