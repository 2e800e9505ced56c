"""The one exception convviz raises for anything a user can get wrong."""


class ConvVizError(ValueError):
    """A parameter, file or request convviz cannot work with.

    The message is one line that names the parameter, the value it got and the valid range,
    for example ``"stride must be >= 1, got 0"``. Front ends (CLI, app) show it as it is.
    """
