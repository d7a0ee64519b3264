from django.urls import path

app_name = "cycles"

urlpatterns: list = []
