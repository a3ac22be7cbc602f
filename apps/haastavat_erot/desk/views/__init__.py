"""Extra desk pages, one module per concern, routed by the get_urls() of DeskSite (desk/site.py)
and of the model admins (desk/admin.py)."""
