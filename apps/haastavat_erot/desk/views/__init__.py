"""Extra desk pages, one module per concern, wired in DeskSite.get_urls()."""
