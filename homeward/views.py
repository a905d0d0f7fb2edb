from django.shortcuts import render

from homeward.chapters import selectors


def home(request):
    return render(
        request,
        "home.html",
        {"chapters_count": selectors.chapter_list().count(), "my_chapters": selectors.chapters_of(request.user)},
    )
