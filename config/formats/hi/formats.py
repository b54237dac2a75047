from config.formats.india import *  # noqa: F403
