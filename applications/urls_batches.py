from django.urls import path

from .views import batches

urlpatterns = [
    path("skoler/<int:school_pk>/samlesoknader/", batches.batch_list, name="batch_list"),
    path("samlesoknader/<int:pk>/", batches.batch_detail, name="batch_detail"),
    path("samlesoknader/<int:pk>/soknader/<int:application_pk>/legg-til/", batches.batch_add, name="batch_add"),
    path("samlesoknader/<int:pk>/soknader/<int:application_pk>/fjern/", batches.batch_remove, name="batch_remove"),
    path("samlesoknader/<int:pk>/sendt/", batches.batch_send, name="batch_send"),
    path("samlesoknader/<int:pk>/last-ned/", batches.batch_download, name="batch_download"),
]
