"""What every page needs to draw the navigation: the user's roles and the departments they head."""

from . import roles


def navigation(request):
    user = request.user
    names = roles.role_names(user)
    return {
        "is_admin_role": roles.ADMIN in names,
        "is_cco_role": roles.CCO in names,
        "is_executive_role": roles.EXECUTIVE in names,
        "headed_department_ids": roles.headed_department_ids(user),
    }
