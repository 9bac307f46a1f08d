app_name = "achievements"
urlpatterns: list = []
