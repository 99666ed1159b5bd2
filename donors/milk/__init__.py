"""The milk domain: depots, freezer checks, drop-offs, shipments and the reports on them."""
