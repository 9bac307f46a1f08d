app_name = "popularization"
urlpatterns: list = []
