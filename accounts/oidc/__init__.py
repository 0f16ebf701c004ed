"""Login with Feide (staff, students) and ID-porten (guardians, adult students), OpenID Connect.

`providers`: the configured providers and their Authlib clients, and the token check.
`identity`: who a set of claims is (never by e-mail or name), the acr rule, the login and its log.
`pid`: the keyed hash national identity numbers are stored as.
`views`: begin, callback, and the refusal page. Logging out of the provider: accounts/views/login.py.
"""
