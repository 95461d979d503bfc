"""Commands of this group (filled in as the feature lands)."""

commands: list = []
