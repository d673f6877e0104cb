"""``python -m convtrace`` works like ``convtrace``."""

from convtrace.cli import main

if __name__ == "__main__":
    main()
