"""Domain actions: small keyword-only functions named for what they do, called alike by portal
views, the desk and jobs, so that no rule is written twice."""
