"""Three services that act on what `kelurahan build` made, side by side and independent:

- `publish.social`: scheduled, exactly-once posting of the cards to Facebook, Instagram, TikTok.
- `publish.bot`: the WhatsApp Cloud API webhook that answers residents from the menus.
- `publish.audit`: Diskominfo's audit of which kelurahan sites have gone quiet.

None imports another, except the audit reading the social ledger through
`publish.social.last_published`. None imports `generator`: what the build hands over is read
through the typed contracts in `kelurahan`.
"""
