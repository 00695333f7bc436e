"""``python -m formcoach``: the same CLI as the ``formcoach`` command."""

from formcoach.cli import main

if __name__ == "__main__":
    main()
