"""「線上繳費」 and 「收據下載」, shared by the platform's systems, and the mock gateway."""
