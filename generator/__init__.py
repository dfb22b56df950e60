"""Everything `kelurahan build` makes from the validated model: websites, portal, cards, menus.

`generator.build.build(...)` is the pipeline; `generator.site` makes one kelurahan's website and
the city portal. Heavy libraries (mkdocs, Pillow) are imported where they are used.
"""
