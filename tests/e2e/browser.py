"""Headless Chromium for the console's browser tests: Debian's chromium,
driven through chromium-driver by Debian's python3-selenium.

Debian installs selenium for /usr/bin/python3 only. A test run by another
python3 (a pyenv one on PATH) that imports this module is started again
under /usr/bin/python3 before it has done anything, so the browser tests
run the same way here as on a clean Debian machine: `python3
tests/e2e/test_X.py` works with either interpreter.

    with Browser() as b:                      # 1280x900; Browser(phone=True): 360 wide
        b.login(base, "koord", "rahasia")
        b.fill_and_submit("form#tiket", {"status": "diproses", "catatan": "..."})
        b.screenshot("tests/out/x.png")

The browser resolves no host name but localhost: a page that reaches for a
CDN or a web font fails to load it here, as it would in a village office
with the internet down."""

import os
import sys

DEBIAN_PYTHON = "/usr/bin/python3"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


def _debian_python_has_selenium():
    import subprocess
    try:
        return subprocess.run([DEBIAN_PYTHON, "-c", "import selenium"],
                              capture_output=True).returncode == 0
    except OSError:
        return False


try:
    import selenium  # noqa: F401
except ImportError:
    main = sys.modules.get("__main__")
    as_script = main is not None and getattr(main, "__spec__", None) is None and \
        sys.argv and sys.argv[0].endswith(".py")
    if as_script and os.path.realpath(sys.executable) != os.path.realpath(DEBIAN_PYTHON) \
            and _debian_python_has_selenium():
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(DEBIAN_PYTHON, [DEBIAN_PYTHON] + sys.argv)
    raise ImportError("selenium is missing: the browser tests need Debian's chromium, "
                      "chromium-driver and python3-selenium (sh mk/deps.sh test, as root) "
                      "and run under %s" % DEBIAN_PYTHON)

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import (  # noqa: E402
    StaleElementReferenceException, TimeoutException, WebDriverException)
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

DESKTOP = (1280, 900)
PHONE = (360, 740)
PAGE_TIMEOUT = 20


def start(phone=False):
    """A headless Chromium with the viewport of a laptop or of a 360-pixel
    phone (touch, mobile layout: the page's viewport meta counts)."""
    o = webdriver.ChromeOptions()
    o.binary_location = CHROMIUM
    # --no-sandbox: tests run as root (CI) where Chromium's sandbox refuses
    # to start; the pages are our own.
    for a in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
              "--no-first-run", "--disable-extensions", "--disable-background-networking",
              "--disable-component-update", "--disable-sync", "--lang=id-ID",
              "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
              "--window-size=%d,%d" % (PHONE if phone else DESKTOP)):
        o.add_argument(a)
    o.add_experimental_option("prefs", {"intl.accept_languages": "id-ID,id"})
    log = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "out",
                       "chromedriver.log")
    os.makedirs(os.path.dirname(log), exist_ok=True)
    d = webdriver.Chrome(service=Service(CHROMEDRIVER, log_path=log), options=o)
    try:
        d.set_page_load_timeout(PAGE_TIMEOUT)
        # The window size includes what headless Chromium keeps for its
        # (absent) toolbars; the page must see exactly this viewport.
        w, h = PHONE if phone else DESKTOP
        d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                          {"width": w, "height": h, "deviceScaleFactor": 1, "mobile": phone})
        if phone:
            d.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": True})
    except Exception:
        d.quit()
        raise
    return d


def gone(old_element):
    """Whether old_element's page has been replaced. Chromium may answer
    for a node of the page being torn down with "does not belong to the
    document" instead of a stale reference: that is gone too."""
    def check(_):
        try:
            old_element.is_enabled()
            return False
        except StaleElementReferenceException:
            return True
        except WebDriverException as e:
            if "does not belong to the document" in str(e):
                return True
            raise
    return check


def wait_new_page(driver, old_element):
    """Wait until the page old_element was on has been replaced."""
    WebDriverWait(driver, PAGE_TIMEOUT).until(gone(old_element))
    WebDriverWait(driver, PAGE_TIMEOUT).until(
        lambda d: d.execute_script("return document.readyState") == "complete")


def _set_field(form, name, value):
    els = form.find_elements(By.NAME, name)
    if not els:
        raise AssertionError("the form has no field named %r" % name)
    el = els[0]
    tag = el.tag_name.lower()
    kind = (el.get_attribute("type") or "").lower()
    if tag == "select":
        sel = Select(el)
        try:
            sel.select_by_value(str(value))
        except Exception:
            sel.select_by_visible_text(str(value))
    elif kind == "radio":
        for r in els:
            if r.get_attribute("value") == str(value):
                r.click()
                return
        raise AssertionError("no radio %s=%r" % (name, value))
    elif kind == "checkbox":
        if el.is_selected() != bool(value):
            el.click()
    elif kind == "file":
        el.send_keys(os.path.abspath(value))
    elif kind == "hidden":
        raise AssertionError("field %r is hidden: a user cannot fill it" % name)
    else:
        el.clear()
        el.send_keys(str(value))


def fill_and_submit(driver, form_selector, fields, button=None):
    """Fill the form's fields (name -> value: text, a select's value or
    label, a checkbox's bool, a radio's value, a file's path) and press its
    submit button (the first, or the one matching the CSS `button`), as a
    user would; returns once the answer has loaded."""
    form = driver.find_element(By.CSS_SELECTOR, form_selector)
    for name, value in fields.items():
        _set_field(form, name, value)
    if button:
        btn = form.find_element(By.CSS_SELECTOR, button)
    else:
        btns = form.find_elements(By.CSS_SELECTOR, "button:not([type]), button[type=submit], "
                                                   "input[type=submit]")
        if not btns:
            raise AssertionError("form %s has no submit button" % form_selector)
        btn = btns[0]
    btn.click()
    try:
        wait_new_page(driver, form)
    except TimeoutException:
        raise AssertionError("submitting %s loaded no new page (a required field left "
                             "empty?) at %s" % (form_selector, driver.current_url))


def login(driver, base, user, password):
    """Log in through /login's form; returns the URL the browser lands on."""
    driver.get(base.rstrip("/") + "/login")
    fill_and_submit(driver, "form:has(input[name=password])",
                    {"username": user, "password": password})
    return driver.current_url


def screenshot(driver, path):
    """A PNG of the viewport at path (its folder is made)."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    if not driver.save_screenshot(path):
        raise AssertionError("no screenshot written to " + path)
    return path


class Browser:
    """One headless Chromium for a with-block; it quits whatever happens.
    A block that fails leaves failure_dir/NAME.png and NAME.html of the
    last page (failure_dir defaults to tests/out/browser-failures)."""

    def __init__(self, phone=False, name="browser", failure_dir=None):
        self.phone, self.name = phone, name
        self.failure_dir = failure_dir or os.path.join(
            os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "out",
            "browser-failures")
        self.driver = None

    def __enter__(self):
        self.driver = start(self.phone)
        return self

    def __exit__(self, kind, value, tb):
        try:
            if kind is not None and self.driver is not None:
                self._keep_failure()
        finally:
            if self.driver is not None:
                self.driver.quit()
                self.driver = None
        return False

    def _keep_failure(self):
        try:
            os.makedirs(self.failure_dir, exist_ok=True)
            stem = os.path.join(self.failure_dir, self.name)
            self.driver.save_screenshot(stem + ".png")
            with open(stem + ".html", "w") as f:
                f.write("<!-- %s -->\n" % self.driver.current_url)
                f.write(self.driver.page_source)
        except Exception as e:  # the test's own failure is what matters
            print("browser: could not keep the failed page: %s" % e)

    def get(self, url):
        self.driver.get(url)

    def login(self, base, user, password):
        return login(self.driver, base, user, password)

    def fill_and_submit(self, form_selector, fields, button=None):
        fill_and_submit(self.driver, form_selector, fields, button)

    def screenshot(self, path):
        return screenshot(self.driver, path)

    def find(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def text(self):
        """The visible text of the page."""
        return self.driver.find_element(By.TAG_NAME, "body").text

    @property
    def url(self):
        return self.driver.current_url

    def overflows(self):
        """Whether the page is laid out wider than the screen: a phone
        would have to scroll sideways or zoom out (a page without a
        viewport meta is laid out 980 wide on a phone, and overflows)."""
        width = (PHONE if self.phone else DESKTOP)[0]
        return self.driver.execute_script(
            "return document.documentElement.scrollWidth") > width
