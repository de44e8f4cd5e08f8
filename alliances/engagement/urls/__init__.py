"""Two URL modules: the debates under `/agir/debats/`, the news under `/actualites/`."""
