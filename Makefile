# One task runner. `make run` and `make test` set up everything they need on a fresh machine.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
PORT ?= 8501
ADDRESS ?= 127.0.0.1

.PHONY: setup browser run test test-fast test-deep lint schema bench images site clean

setup: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $@

# Browser tests and static images use Debian's chromium. Install it when we can (root with apt-get);
# otherwise say how. In CI a missing browser fails the browser tests; elsewhere they are skipped.
browser:
	@{ command -v chromium >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1; } || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null) \
	      || echo "note: could not install chromium; browser tests will be skipped"; \
	  else echo "note: no chromium (sudo apt-get install chromium); browser tests will be skipped"; fi; }

run: setup
	$(PY) -m streamlit run app.py --server.port $(PORT) --server.address $(ADDRESS)

# Both cores (pytest-xdist): the suite, browser tests included, takes about ten minutes on this machine.
test: setup browser
	$(PY) -m pytest -n 2

test-fast: setup
	$(PY) -m pytest -m "not browser"

# The property tests with thousands of generated libraries (tests/conftest.py, profile "deep"; each
# property's cap in tests/test_properties.py). One worker per property, so none waits behind another;
# the statistics give each property's examples and time. About half an hour here.
test-deep: setup
	HYPOTHESIS_PROFILE=deep $(PY) -m pytest -q -n 5 --hypothesis-show-statistics tests/test_properties.py

lint: setup
	$(PY) -m ruff check .

schema: setup
	$(PY) -m timelines schema

bench: setup browser
	$(PY) -m benchmarks

images: setup browser
	$(PY) -m timelines export-images images/

site: setup
	$(PY) -m timelines build-site site/

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts images site
