from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("elever/<int:student_pk>/dokumenter/", views.student_documents, name="student_documents"),
    path("elever/<int:student_pk>/dokumenter/ny/", views.document_upload, name="document_upload"),
    path("dokumenter/<int:pk>/endre/", views.document_edit, name="document_edit"),
    path("dokumenter/<int:pk>/tilgang/", views.document_grants, name="document_grants"),
    path("dokumenter/<int:pk>/tilgang/<int:user_pk>/fjern/", views.document_revoke_view, name="document_revoke"),
    path("dokumenter/<int:pk>/slett/", views.document_delete_view, name="document_delete"),
    path("dokumenter/<int:pk>/last-ned/", views.document_download, name="document_download"),
]
