from milkbank.roles import CONTENT_EDITOR, CRUD

ROLE_PERMISSIONS = {
    CONTENT_EDITOR: {
        "resources.page": CRUD,
        "resources.griefresource": CRUD,
        "resources.milkbank": CRUD,
        "resources.keepsakemaker": CRUD,
        "resources.searchsynonym": CRUD,
        # Feedback comes from visitors: editors read it, mark it reviewed and may delete it, never write it.
        "resources.feedback": ["view", "change", "delete"],
    },
}
