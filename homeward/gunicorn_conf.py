"""gunicorn settings: the access log carries method, path, status and time — no address,
no user agent, no referrer (PRIVACY.md rule 7)."""

accesslog = "-"
access_log_format = '"%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
forwarded_allow_ips = "127.0.0.1"
timeout = 60
