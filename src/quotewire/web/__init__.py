"""The web app (`quotewire serve`): the extract page, the corpus pages and the JSON API."""
