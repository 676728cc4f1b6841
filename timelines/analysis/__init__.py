"""Gap analysis, one module per idea: pure functions, DataFrames and models in, DataFrames out; no I/O,
no clock, no Streamlit.

- :mod:`.table`: a case's rows of the event table, in time order; whole days between dates.
- :mod:`.wording`: one wording for every measure (a span of days, a citation, a case's short name).
- :mod:`.intervals`: the silences between consecutive events.
- :mod:`.timing`: how long before or after the outcome each event came.
- :mod:`.findings`: review findings, and the steps events name.
- :mod:`.pathway`: each case's path against the expected pathway.
- :mod:`.register`: the missed-opportunities register.
- :mod:`.referrals`: repeat referrals.
- :mod:`.coverage`: what the record holds, and planned against delivered.
- :mod:`.commitments`: the government's commitments.
- :mod:`.measures`: the key figures of a case; :mod:`.summary`: one row per case.
"""
