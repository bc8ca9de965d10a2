from django.urls import path

from gendan.web import history
from gendan.web.deals import moves, ticks, views

app_name = "deals"

urlpatterns = [
    path("", views.deal_list, name="list"),
    path("new/", views.deal_create, name="create"),
    path("export/", views.deal_export, name="export"),
    path("board/", views.deal_board, name="board"),
    path("board/column/", views.deal_board_column, name="board_column"),
    path("<int:deal_id>/", views.deal_detail, name="detail"),
    path("<int:deal_id>/edit/", views.deal_edit, name="edit"),
    path("<int:deal_id>/history/", history.deal_history, name="history"),
    path("<int:deal_id>/move/", moves.deal_move, name="move"),
    path("<int:deal_id>/checklist/<str:item_id>/", ticks.checklist_tick, name="checklist_tick"),
]
