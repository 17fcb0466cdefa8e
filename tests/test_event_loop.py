"""Nothing that blocks runs on the event loop: a route, an error handler or a form reader that is `async def` runs
there, so one argon2 hash, query or upload parse stalls every request of the process (issue 8, item 1). Routes and
error handlers are plain functions, which FastAPI and Starlette run in the threadpool; the few coroutines left are
the framework's own or hand their blocking work to a thread (forms.read_form_data awaits the body, realtime awaits
run_in_threadpool)."""
import inspect

from fastapi.routing import APIRoute
from starlette.routing import Route

FRAMEWORK_ROUTES = {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}


def routes_on_the_loop(app) -> list[str]:
    return sorted(route.path for route in app.routes
                  if isinstance(route, APIRoute | Route) and route.path not in FRAMEWORK_ROUTES
                  and inspect.iscoroutinefunction(route.endpoint))


def test_every_route_of_the_app_runs_in_the_threadpool(app):
    assert routes_on_the_loop(app) == []


def test_every_error_handler_runs_in_the_threadpool(app):
    on_the_loop = sorted(getattr(error, "__name__", str(error)) for error, handler in app.exception_handlers.items()
                         if inspect.iscoroutinefunction(handler) and not handler.__module__.startswith("fastapi."))
    assert on_the_loop == []


def test_the_check_sees_a_coroutine_route(app):
    async def blocking_page():
        return {}

    app.add_api_route("/a-coroutine-for-the-check", blocking_page)
    try:
        assert routes_on_the_loop(app) == ["/a-coroutine-for-the-check"]
    finally:
        app.router.routes.pop()
