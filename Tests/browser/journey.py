#!/usr/bin/env python3
"""The whole journey in a real browser (headless Chromium from Debian, driven by Selenium).

A citizen (phone-sized window) applies online with an upload; an officer accepts and asks for a
supplement; the citizen uploads and confirms it; the dossier goes to the Department of Finance and
back; it is approved and returned; the citizen rates it. Every page is checked with axe-core (no
serious or critical violation), for fitting a 360-pixel-wide screen, and saved as a screenshot.

Usage: journey.py BASE_URL SCREENSHOT_DIR
"""
import os
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

try:
    from axe_selenium_python import Axe
except ImportError:  # the accessibility check is required in CI; .ci/browser installs it
    Axe = None

BASE = sys.argv[1].rstrip("/")
SHOTS = os.path.abspath(sys.argv[2])
PASSWORD = "MotCua@2026"
os.makedirs(SHOTS, exist_ok=True)
shot_number = [0]
problems = []


def browser(width, height):
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", f"--window-size={max(width, 800)},{height}",
                 "--lang=vi"):
        options.add_argument(flag)
    if width < 500:
        # A desktop window cannot be this narrow: emulate the phone's screen instead.
        options.add_experimental_option("mobileEmulation", {"deviceMetrics": {"width": width, "height": height, "pixelRatio": 1.0}})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.expected_width = width
    return driver


def check(driver, name, language="vi"):
    """Screenshot, 360-pixel fit, no serious accessibility violation, the language, no stack trace."""
    shot_number[0] += 1
    driver.save_screenshot(os.path.join(SHOTS, f"{shot_number[0]:02d}-{name}.png"))
    html = driver.page_source
    if f'lang="{language}"' not in html:
        problems.append(f"{name}: not in the language {language}")
    if "Traceback" in html or "fatalError" in html:
        problems.append(f"{name}: shows internals")
    width = driver.execute_script("return document.documentElement.scrollWidth")
    viewport = driver.execute_script("return window.innerWidth")
    if viewport != driver.expected_width:
        problems.append(f"{name}: the window is {viewport}px wide, not {driver.expected_width}px")
    if width > viewport + 1:
        problems.append(f"{name}: {width}px wide in a {viewport}px window")
    if Axe is None:
        problems.append("axe-selenium-python is not installed")
        return
    axe = Axe(driver)
    axe.inject()
    results = axe.run()
    for violation in results["violations"]:
        if violation.get("impact") in ("serious", "critical"):
            targets = ", ".join(str(node.get("target")) for node in violation.get("nodes", [])[:3])
            problems.append(f"{name}: {violation['id']} ({violation['impact']}): {violation['help']} at {targets}")


def go(driver, path, name, language="vi"):
    driver.get(BASE + path)
    check(driver, name, language)


def fill(driver, field_id, text):
    element = driver.find_element(By.ID, field_id)
    element.clear()
    element.send_keys(text)


def sign_in(driver, username):
    go(driver, "/dang-nhap", f"dang-nhap-{username}")
    fill(driver, "username", username)
    fill(driver, "password", PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: "/dang-nhap" not in d.current_url)


def sign_out(driver):
    driver.find_element(By.CSS_SELECTOR, "nav form button").click()
    WebDriverWait(driver, 10).until(EC.presence_of_element_located((By.CSS_SELECTOR, "nav a[href='/dang-nhap']")))


def act(driver, code, verb, fields=None, name=None):
    """Opens the dossier, unfolds the action and submits it."""
    go(driver, f"/ho-so/{code}", name or f"ho-so-truoc-{verb}")
    form = driver.find_element(By.CSS_SELECTOR, f"form[action='/ho-so/{code}/{verb}']")
    form.find_element(By.XPATH, "./ancestor::details/summary").click()
    for field, text in (fields or {}).items():
        form.find_element(By.NAME, field).send_keys(text)
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(driver, 10).until(EC.url_contains("done="))


def upload(driver, label, path):
    fill(driver, "upload-label", label)
    driver.find_element(By.ID, "upload-file").send_keys(path)
    driver.find_element(By.CSS_SELECTOR, "#upload button[type=submit]").click()
    WebDriverWait(driver, 15).until(lambda d: label in d.page_source and d.execute_script("return document.readyState") == "complete")


def main():
    pdf = os.path.join(SHOTS, "to-khai.pdf")
    with open(pdf, "wb") as handle:
        handle.write(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

    citizen = browser(360, 800)
    # Officers work at a desk, but every page must also work on a phone.
    officer = browser(360, 800)
    try:
        # The citizen finds the procedure, reads it, registers nothing (the demo account exists), applies.
        go(citizen, "/?q=thanh%20lap%20cong%20ty", "trang-chu-tim-kiem")
        citizen.find_element(By.CSS_SELECTOR, "a[href='/thu-tuc/2.001583']").click()
        check(citizen, "thu-tuc")
        go(citizen, "/tra-cuu", "tra-cuu")
        go(citizen, "/dang-ky", "dang-ky")
        go(citizen, "/?lang=en", "tieng-anh", language="en")
        if 'lang="en"' not in citizen.page_source or "Find an administrative procedure" not in citizen.page_source:
            problems.append("the English switch does not work")
        go(citizen, "/?lang=vi", "tieng-viet")
        sign_in(citizen, "congdan")
        check(citizen, "ho-so-cua-toi")
        go(citizen, "/thu-tuc/2.001583/nop-ho-so", "nop-ho-so")
        citizen.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
        WebDriverWait(citizen, 10).until(EC.url_contains("/ho-so/"))
        code = citizen.current_url.rstrip("/").split("/ho-so/")[1].split("?")[0]
        check(citizen, "ho-so-moi")
        upload(citizen, "Giấy đề nghị đăng ký doanh nghiệp", pdf)
        check(citizen, "ho-so-da-tai-len")

        # The centre accepts, then asks for a supplement.
        sign_in(officer, "tiepnhan.ttpvhcc")
        go(officer, "/can-bo/ho-so", "hop-thu-can-bo")
        act(officer, code, "accept")
        act(officer, code, "request-supplement", {"missing": "Điều lệ công ty", "reason": "Thiếu điều lệ công ty"})
        go(officer, f"/ho-so/{code}/mau/02", "mau-02")

        # The citizen supplies it and confirms.
        go(citizen, f"/ho-so/{code}", "yeu-cau-bo-sung")
        if "Cách bổ sung" not in citizen.page_source:
            problems.append("the supplement request does not say how to answer it")
        upload(citizen, "Điều lệ công ty", pdf)
        act(citizen, code, "receive-supplement")

        # Forwarded to the Department of Finance, through its two steps, back to the centre.
        act(officer, code, "forward")
        sign_out(officer)
        sign_in(officer, "chuyenvien.stc")
        act(officer, code, "forward")
        sign_out(officer)
        sign_in(officer, "lanhdao.stc")
        act(officer, code, "forward")
        sign_out(officer)
        sign_in(officer, "lanhdao.ttpvhcc")
        go(officer, "/lanh-dao/han-xu-ly", "theo-doi-han")
        act(officer, code, "approve")
        sign_out(officer)
        sign_in(officer, "tiepnhan.ttpvhcc")
        act(officer, code, "mark-result-ready")
        act(officer, code, "return-result")
        go(officer, f"/ho-so/{code}/mau/06", "mau-06")

        # The centre's leader opens this month's report, follows "received" to its dossiers,
        # and downloads the CSV with the same session.
        officer.get(BASE + "/")
        sign_out(officer)
        sign_in(officer, "lanhdao.ttpvhcc")
        go(officer, "/bao-cao", "bao-cao")
        if "Tiếp nhận trong kỳ" not in officer.page_source or "<svg" not in officer.page_source:
            problems.append("the report has no table or no chart")
        received = officer.find_elements(By.CSS_SELECTOR, "table.report tr.total a[href*='figure=received']")
        if not received:
            problems.append("the report's received count has no drill-down link")
        else:
            received[0].click()
            WebDriverWait(officer, 10).until(EC.url_contains("/bao-cao/ho-so"))
            check(officer, "bao-cao-ho-so")
            if f"/ho-so/{code}" not in officer.page_source:
                problems.append("the drill-down does not list the dossier received this month")
            go(officer, "/bao-cao", "bao-cao")
        href = officer.find_element(By.CSS_SELECTOR, "a[href*='format=csv']").get_attribute("href")
        first_line = officer.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "fetch(arguments[0], {credentials: 'same-origin'}).then(r => r.text()).then(t => done(t.split('\\r\\n')[0]), e => done('error ' + e));",
            href)
        # fetch() drops the byte-order mark when it decodes UTF-8; the API test checks it is sent.
        if not first_line.lstrip("\ufeff").startswith("Cơ quan,Kỳ trước chuyển qua,Tiếp nhận trong kỳ"):
            problems.append(f"the CSV export starts with {first_line[:80]!r}")
        go(officer, "/bao-cao/chi-so", "chi-so-766")
        sign_out(officer)
        sign_in(officer, "tiepnhan.ttpvhcc")

        # The citizen sees it returned and rates it.
        go(citizen, f"/ho-so/{code}", "da-tra-ket-qua")
        details = citizen.find_element(By.CSS_SELECTOR, f"form[action='/ho-so/{code}/rate']").find_element(By.XPATH, "./ancestor::details")
        details.find_element(By.TAG_NAME, "summary").click()
        citizen.find_element(By.CSS_SELECTOR, "input[name=rating][value=very_satisfied]").click()
        citizen.find_element(By.NAME, "comment").send_keys("Cán bộ hướng dẫn tận tình")
        details.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        WebDriverWait(citizen, 10).until(EC.url_contains("done=rate"))
        check(citizen, "da-danh-gia")
        if "Rất hài lòng" not in citizen.page_source:
            problems.append("the rating is not shown")
        go(citizen, f"/tra-cuu?code={code}&digits=5678", "tra-cuu-ket-qua")
        if "Đã trả kết quả" not in citizen.page_source:
            problems.append("tracking does not show the returned status")
        go(citizen, "/khong-co-trang-nay", "loi-404")
    finally:
        citizen.quit()
        officer.quit()

    if problems:
        print("\n".join(problems))
        sys.exit(1)
    print(f"browser journey: ok ({shot_number[0]} pages, screenshots in {SHOTS})")


if __name__ == "__main__":
    main()
