from django.http import HttpResponse


def innovation_list(request):
    return HttpResponse("")


def innovation_detail(request, slug):
    return HttpResponse("")
