"""Privacy (AVG/GDPR): the privacy page, 'download my data', 'delete my account', retention and backups.

`registry` and `signals` import no feature, so any feature (meetings, …) may use them to register its exporter,
eraser and retention rule, or to hear that an account was deleted.
"""
