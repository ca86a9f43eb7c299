"""Sphinx extension: one book, three editions (en, ko, zh), each its own build.

`tools/build_book.py` (`make book`) builds every edition from `book/<lang>/`
with that edition's `language`, so Sphinx and the theme speak the reader's
language on every page (search box, previous/next, buttons, footer) and search
stays within the edition. This extension adds, in every edition build:

* the strings the theme stack leaves untranslated for ko and zh (pydata-sphinx-
  theme has no Korean catalogue; a few strings are missing in Chinese), ahead of
  the theme's own catalogues, and the few its templates write in English
  without a translation call (replaced in each rendered page);
* the language switcher in the article's header bar (which stays in view),
  linking to the same page in the other editions (same file names); it keeps
  the reader's section: every section also carries a positional id that is the
  same in every edition (`sec-1-2-1`: the page, its second section, that one's
  first subsection), and `_static/editions.js` points the links at the section
  being read;
* on every notebook page, a short note under the title: how to run the chapter
  after download (in a clone of the repository named by `repository: url:` in
  _config.yml, linked; the local instructions while that is empty);
* the toggles of hidden code cells ("Show code cell source") in the edition's
  language;
* the footer's date as the language writes it (2026年12月7日, 2026년 12월 7일),
  and the search page's script strings (JS_STRINGS);
* zh: Chinese search (jieba, with the glossary's terms as its dictionary) and
  no stray space between two Chinese characters (join_cjk_lines).
"""

from __future__ import annotations

import gettext
import html
import json
import pathlib
import sys
import re

from docutils import nodes
from sphinx.search import SearchLanguage
from sphinx.search import languages as search_languages
from sphinx.transforms.post_transforms import SphinxPostTransform

# Each edition: the switcher's label, the <html lang> Sphinx writes for its
# `language`, the Sphinx language, and the book's title in that language.
EDITIONS = {
    "en": {
        "label": "English",
        "html_lang": "en",
        "sphinx_language": "en",
        "title": "Recurrent Networks, Line by Line",
        "author": "The Line by Line authors",
    },
    "ko": {
        "label": "한국어",
        "html_lang": "ko",
        "sphinx_language": "ko",
        "title": "한 줄씩 읽는 순환 신경망",
        "author": "Line by Line 저자들",
    },
    "zh": {
        "label": "中文",
        "html_lang": "zh-CN",
        "sphinx_language": "zh_CN",
        "title": "逐行读懂循环神经网络",
        "author": "Line by Line 作者团队",
    },
}

# Interface strings that no installed catalogue translates for the edition's
# language (checked in the built HTML by tests/test_site.py).
THEME_STRINGS = {
    "ko": {
        "Skip to main content": "본문으로 건너뛰기",
        "Back to top": "맨 위로",
        "Search": "검색",
        "Search the docs ...": "이 책에서 검색...",
        "Color mode": "색상 모드",
        "Light": "밝게",
        "Dark": "어둡게",
        "System Settings": "시스템 설정",
        "Section Navigation": "이 부분의 목차",
        "Site navigation": "사이트 탐색",
        "On this page": "이 페이지의 내용",
        "Contents": "목차",
        "previous": "이전",
        "next": "다음",
        "previous page": "이전 페이지",
        "next page": "다음 페이지",
        "Home": "처음",
        "Breadcrumb": "현재 위치",
        "Announcement": "알림",
        "Expand Sidebar": "사이드바 펼치기",
        "Collapse Sidebar": "사이드바 접기",
        "Show Source": "소스 보기",
        "Indices": "색인",
        "General Index": "전체 색인",
        "Version warning": "버전 경고",
        "Link to this heading": "이 제목을 가리키는 링크",
        "Link to this equation": "이 수식을 가리키는 링크",
        "Link to this image": "이 그림을 가리키는 링크",
        "Link to this table": "이 표를 가리키는 링크",
        "Link to this code": "이 코드를 가리키는 링크",
        "Link to this definition": "이 정의를 가리키는 링크",
        "Link to this term": "이 용어를 가리키는 링크",
        "Please activate JavaScript to enable the search functionality.": "검색 기능을 쓰려면 JavaScript를 켜 주세요.",
    },
    "zh_CN": {
        "Skip to main content": "跳到正文",
        "Back to top": "回到顶部",
        "Search": "搜索",
        "Search the docs ...": "在本书中搜索……",
        "Color mode": "颜色模式",
        "Light": "浅色",
        "Dark": "深色",
        "System Settings": "跟随系统",
        "Section Navigation": "本部分导航",
        "Site navigation": "站点导航",
        "On this page": "本页内容",
        "Contents": "目录",
        "previous": "上一页",
        "next": "下一页",
        "previous page": "上一页",
        "next page": "下一页",
        "Home": "首页",
        "Breadcrumb": "当前位置",
        "Announcement": "公告",
        "Expand Sidebar": "展开侧边栏",
        "Collapse Sidebar": "收起侧边栏",
        "Show Source": "查看源文件",
        "Indices": "索引",
        "General Index": "总索引",
        "Version warning": "版本提示",
        "Link to this heading": "指向本标题的链接",
        "Link to this equation": "指向本公式的链接",
        "Link to this image": "指向本图的链接",
        "Link to this table": "指向本表的链接",
        "Link to this code": "指向本代码的链接",
        "Link to this definition": "指向本定义的链接",
        "Link to this term": "指向本术语的链接",
        "Please activate JavaScript to enable the search functionality.": "请启用 JavaScript 以使用搜索功能。",
        # The footer: a Chinese full stop after the date.
        "Last updated on %(last_updated)s.": "最后更新于 %(last_updated)s。",
    },
}

# sphinx-book-theme's own catalogue ("booktheme"): its Korean "By" reads "으로".
# Its Korean "Fullscreen mode" lacks a space, its Chinese "Print to PDF" is
# Traditional usage (列印成 PDF).
BOOKTHEME_STRINGS = {
    "ko": {"By": "지은이:", "Fullscreen mode": "전체 화면으로 보기"},
    "zh_CN": {"By": "作者：", "Print to PDF": "打印为 PDF"},
}

# The footer's date ("Last updated on ..."): Sphinx's catalogues zero-pad the
# month and day (12 月 07 日); written as a reader of the language writes it.
LAST_UPDATED_FMT = {"ko": "%Y년 %-m월 %-d일", "zh_CN": "%Y年%-m月%-d日"}

# Strings of Sphinx's search page script (its _static/translations.js), replaced
# in the built file: "17 개 페이지" spaces the counter apart from its number.
JS_STRINGS = {
    "ko": {
        "Search finished, found ${resultCount} page(s) matching the search query.": "검색을 마쳤습니다. 검색어와 일치하는 페이지를 ${resultCount}개 찾았습니다.",
    },
    "zh_CN": {
        "Search finished, found ${resultCount} page(s) matching the search query.": "搜索完成，找到 ${resultCount} 个匹配的页面。",
    },
}

# Strings the theme's templates write without a translation call; replaced in
# each rendered page (whole attributes, so page content is never touched).
TEMPLATE_STRINGS = {
    "ko": {
        'title="Toggle primary sidebar"': 'title="책 목차 열고 닫기"',
        'title="Toggle secondary sidebar"': 'title="이 페이지 목차 열고 닫기"',
        'aria-label="Main"': 'aria-label="책 목차"',
        'aria-label="Page"': 'aria-label="페이지"',
        'aria-label="Toggle hidden content"': 'aria-label="숨긴 내용 열고 닫기"',
    },
    "zh_CN": {
        'title="Toggle primary sidebar"': 'title="显示或隐藏全书目录"',
        'title="Toggle secondary sidebar"': 'title="显示或隐藏本页目录"',
        'aria-label="Main"': 'aria-label="全书目录"',
        'aria-label="Page"': 'aria-label="页面"',
        'aria-label="Toggle hidden content"': 'aria-label="展开或折叠隐藏的内容"',
    },
}
SEARCH_BAR_TEXT = {
    "en": "Search this book...",
    "ko": "이 책에서 검색...",
    "zh_CN": "在本书中搜索……",
}
SWITCHER_LABEL = {"en": "Language", "ko": "언어", "zh_CN": "语言"}

# Hidden code cells: myst-nb's "Show code cell {type}" toggles, per edition.
CELL_TOGGLES = {
    "ko": {
        "show": "{type} 보기",
        "hide": "{type} 숨기기",
        "types": {
            "content": "셀 전체",
            "source": "코드",
            "output": "출력",
            "outputs": "출력",
        },
    },
    "zh_CN": {
        "show": "显示{type}",
        "hide": "隐藏{type}",
        "types": {
            "content": "整个单元格",
            "source": "代码",
            "output": "输出",
            "outputs": "输出",
        },
    },
}
# sphinx-togglebutton's hints (its Chinese catalogue is filed as zh-cn, which zh_CN does not find).
TOGGLE_HINTS = {
    "ko": ("클릭해서 보기", "클릭해서 숨기기"),
    "zh_CN": ("点击显示", "点击隐藏"),
}

# The note under each chapter's title. {nb}: the notebook's path in the repository.
RUN_NOTE = {
    "en": {
        "title": "Run this chapter yourself",
        "with_url": "This chapter is the notebook {nb} in {repo}. It imports the book's {pkg} package, "
        "so run it in a clone of that repository: there, {lab} installs the pinned requirements and "
        "the package into .venv and opens JupyterLab ({pip} installs the same into an environment "
        "of your own).",
        "no_url": "This chapter is the notebook {nb} of the book's repository. It imports the book's "
        "{pkg} package, so run it in a copy of that repository: there, {lab} installs the pinned "
        "requirements and the package into .venv and opens JupyterLab ({pip} installs the same into "
        "an environment of your own).",
        "repo": "the book's repository",
    },
    "ko": {
        "title": "이 장을 직접 실행하려면",
        "with_url": "이 장은 {repo}에 있는 노트북 {nb}입니다. 이 책의 {pkg} 패키지를 쓰므로 저장소를 "
        "복제해서 실행하세요. 복제한 폴더에서 {lab}을 실행하면 고정된 버전의 의존 패키지와 {pkg}을 "
        ".venv에 설치하고 JupyterLab을 엽니다. 직접 관리하는 환경이라면 {pip}로 같은 것을 설치할 수 "
        "있습니다.",
        "no_url": "이 장은 이 책 저장소의 노트북 {nb}입니다. 이 책의 {pkg} 패키지를 쓰므로 저장소의 "
        "사본에서 실행하세요. 저장소 폴더에서 {lab}을 실행하면 고정된 버전의 의존 패키지와 {pkg}을 "
        ".venv에 설치하고 JupyterLab을 엽니다. 직접 관리하는 환경이라면 {pip}로 같은 것을 설치할 수 "
        "있습니다.",
        "repo": "이 책의 저장소",
    },
    "zh": {
        "title": "自己运行本章",
        "with_url": "本章就是{repo}中的 notebook {nb}。它要导入本书的 {pkg} 包，所以请克隆仓库后在其中运行："
        "在仓库目录下执行 {lab}，会把锁定版本的依赖和 {pkg} 装进 .venv 并打开 JupyterLab"
        "（在自己的环境里，用 {pip} 安装同样的内容）。",
        "no_url": "本章就是本书仓库中的 notebook {nb}。它要导入本书的 {pkg} 包，所以请在本书仓库的副本中运行："
        "在仓库目录下执行 {lab}，会把锁定版本的依赖和 {pkg} 装进 .venv 并打开 JupyterLab"
        "（在自己的环境里，用 {pip} 安装同样的内容）。",
        "repo": "本书的仓库",
    },
}
# What a chapter needs, from the frameworks its code uses (tools/nbtools.py).
NEEDS = {
    "en": {
        "label": "What it needs: ",
        (): "NumPy and matplotlib only, so the light install {light} is enough.",
        ("torch",): "NumPy, matplotlib and PyTorch.",
        ("tensorflow",): "NumPy, matplotlib and Keras with TensorFlow.",
        ("tensorflow", "torch"): "NumPy, matplotlib, Keras with TensorFlow, and PyTorch.",
    },
    "ko": {
        "label": "필요한 것: ",
        (): "NumPy와 matplotlib뿐이므로 가벼운 설치 {light}로 충분합니다.",
        ("torch",): "NumPy, matplotlib, PyTorch.",
        ("tensorflow",): "NumPy, matplotlib, 그리고 TensorFlow 위의 Keras.",
        ("tensorflow", "torch"): "NumPy, matplotlib, TensorFlow 위의 Keras, PyTorch.",
    },
    "zh": {
        "label": "运行所需：",
        (): "只需 NumPy 和 matplotlib，轻量安装 {light} 就够了。",
        ("torch",): "NumPy、matplotlib 和 PyTorch。",
        ("tensorflow",): "NumPy、matplotlib，以及基于 TensorFlow 的 Keras。",
        ("tensorflow", "torch"): "NumPy、matplotlib、基于 TensorFlow 的 Keras，以及 PyTorch。",
    },
}
RUN_COMMANDS = {
    "light": 'pip install -e ".[numpy-chapters]"',
    "lab": "make lab",
    "pip": "pip install -r requirements.txt",
    "pkg": "companion",
}


def edition_of(app):
    """The edition this build renders ('en', 'ko', 'zh'), or None (the language picker)."""
    language = app.config.language or "en"
    for code, info in EDITIONS.items():
        if info["sphinx_language"] == language and app.srcdir.name == code:
            return code
    return None


# -- translations -----------------------------------------------------------


class _Table(gettext.NullTranslations):
    def __init__(self, table):
        super().__init__()
        self._table = table

    def gettext(self, message):
        if message in self._table:
            return self._table[message]
        return self._fallback.gettext(message) if self._fallback else message

    def ngettext(self, singular, plural, n):
        if self._fallback:
            return self._fallback.ngettext(singular, plural, n)
        return singular if n == 1 else plural


def install_theme_strings(app, config):
    """Put our tables in front of the catalogues Sphinx and the theme loaded."""
    import sphinx.locale

    for catalog, tables in (
        ("sphinx", THEME_STRINGS),
        ("booktheme", BOOKTHEME_STRINGS),
    ):
        table = tables.get(config.language)
        if not table:
            continue
        key = ("general", catalog)
        current = sphinx.locale.translators.get(key)
        ours = _Table(table)
        if current is not None:
            ours.add_fallback(current)
        sphinx.locale.translators[key] = ours
        if catalog == "sphinx":
            app.translator = ours
    # The switcher sits in the article's header bar, which stays in view while the
    # reader scrolls, so a click on it keeps the section being read.
    config.templates_path = list(config.templates_path) + [
        str(pathlib.Path(__file__).parent / "templates")
    ]
    options = config.html_theme_options
    end = options.get("article_header_end", ["article-header-buttons.html"])
    end = [end] if isinstance(end, str) else list(end)
    if "edition-switcher.html" not in end:
        options["article_header_end"] = ["edition-switcher.html"] + end
    if config.language in TOGGLE_HINTS:
        config.togglebutton_hint, config.togglebutton_hint_hide = TOGGLE_HINTS[
            config.language
        ]
    if (
        config.language in LAST_UPDATED_FMT
        and config.html_last_updated_fmt is not None
    ):
        config.html_last_updated_fmt = LAST_UPDATED_FMT[config.language]
    if config.language == "zh_CN":
        chinese_search(app, config)
    if config.language in SEARCH_BAR_TEXT:
        config.html_theme_options["search_bar_text"] = SEARCH_BAR_TEXT[
            config.language
        ]


def localise_templates(app):
    """Replace TEMPLATE_STRINGS in every page the builder renders."""
    table = TEMPLATE_STRINGS.get(app.config.language)
    templates = getattr(app.builder, "templates", None)
    if not table or templates is None:
        return
    render = templates.render

    def render_localised(template, context):
        out = render(template, context)
        for english, local in table.items():
            out = out.replace(english, local)
        return out

    templates.render = render_localised


def chinese_search(app, config):
    """Chinese search: Sphinx splits the words of the zh index with jieba.

    jieba's own dictionary does not know the book's terms (it cuts 遗忘门 into
    遗忘 + 门, so a search for 遗忘门 finds nothing: the search box matches whole
    index words or longer ones). Every term of the edition's glossary goes into
    a user dictionary that jieba loads first.
    """
    try:
        import jieba
    except (
        ImportError
    ):  # requirements.txt installs it; without it, no zh words are indexed
        return
    import logging

    jieba.setLogLevel(logging.WARNING)
    glossary = pathlib.Path(app.srcdir) / "glossary.md"
    terms = (
        glossary_terms(glossary.read_text(encoding="utf-8"))
        if glossary.exists()
        else []
    )
    userdict = pathlib.Path(app.doctreedir).parent / "jieba-userdict.txt"
    userdict.parent.mkdir(parents=True, exist_ok=True)
    userdict.write_text("".join(f"{t}\n" for t in terms), encoding="utf-8")
    options = dict(config.html_search_options or {})
    options["dict"] = str(userdict)
    config.html_search_options = options


def glossary_terms(text: str) -> list[str]:
    """The Chinese words a glossary defines: 循环神经网络（RNN） gives 循环神经网络."""
    terms, inside = [], False
    for line in text.splitlines():
        if line.startswith(":::{glossary}"):
            inside = True
        elif inside and line.startswith(":::"):
            inside = False
        elif inside and line.strip() and not line[0].isspace():
            for part in re.split(r"[（）()、/，,]", line):
                part = part.strip()
                if CJK_CHAR.search(part) and " " not in part:
                    terms.append(part)
    return sorted(set(terms))


def localise_search_script(app, exception):
    """Replace JS_STRINGS in the search page script Sphinx copied for the language."""
    table = JS_STRINGS.get(app.config.language)
    path = pathlib.Path(app.outdir) / "_static" / "translations.js"
    if exception is not None or not table or not path.exists():
        return
    text = path.read_text(encoding="utf-8")
    head, sep, rest = text.partition("Documentation.addTranslations(")
    body, _, tail = rest.rpartition(");")
    if not sep:
        return
    data = json.loads(body)
    data["messages"].update(table)
    path.write_text(
        head + sep + json.dumps(data, ensure_ascii=False) + ");" + tail,
        encoding="utf-8",
    )


# -- doctree ------------------------------------------------------------------

# Chinese and Japanese characters and their punctuation (not Hangul: Korean
# separates words with spaces, so a line break there is a space).
CJK_CHAR = re.compile(
    "[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
    "\u2018\u2019\u201c\u201d\u2026\u2014]"
)


def join_cjk_lines(app, doctree):
    """In the zh edition, no space between two Chinese characters that the
    source did not write as one.

    Browsers render a line break inside a paragraph as a space, which in Chinese
    splits a word or a sentence (两部 剧作). STYLE.md asks for one line per
    paragraph in zh prose; this joins the lines that still break between two
    Chinese characters (or Chinese punctuation), whatever markup lies between
    them. Likewise the spaces that only set markup apart in the source, between
    a Chinese character and a link or emphasis that starts or ends with one
    (见 {doc}`notation` 一页 reads 见符号约定一页). A space inside a run of text
    stays; code, maths and raw HTML keep their text. Run once references are
    resolved (a link's text is then the page's title).
    """
    if app.config.language != "zh_CN":
        return
    skip = (
        nodes.literal,
        nodes.literal_block,
        nodes.math,
        nodes.math_block,
        nodes.raw,
    )

    def frozen(text_node):
        parent = text_node.parent
        while parent is not None:
            if isinstance(parent, skip):
                return True
            parent = parent.parent
        return False

    for block in doctree.findall(nodes.TextElement):
        if isinstance(
            block, (nodes.FixedTextElement, nodes.math, nodes.literal)
        ):
            continue
        if isinstance(block.parent, nodes.TextElement):
            continue  # handled with the paragraph it is part of
        texts = list(block.findall(nodes.Text))
        for k, node in enumerate(texts):
            spaced = node[:1].isspace() or node[-1:].isspace()
            if ("\n" not in node and not spaced) or frozen(node):
                continue
            before = "".join(str(t) for t in texts[:k])
            after = "".join(str(t) for t in texts[k + 1 :])
            value = str(node)

            def join(m, value=value, before=before, after=after):
                prev = (before + value[: m.start()]).rstrip()[-1:]
                nxt = (value[m.end() :] + after).lstrip()[:1]
                cjk = (
                    prev
                    and nxt
                    and CJK_CHAR.match(prev)
                    and CJK_CHAR.match(nxt)
                )
                return "" if cjk else m.group(0)

            joined = re.sub(r"[ \t]*\n[ \t]*|^[ \t]+|[ \t]+\Z", join, value)
            if joined != value:
                # By identity: Text nodes are strings, and parent.replace()
                # would take the first child equal to this one (another "\n").
                parent = node.parent
                at = next(
                    i for i, c in enumerate(parent.children) if c is node
                )
                new = nodes.Text(joined)
                parent[at] = new
                texts[k] = new


def add_positional_ids(app, doctree):
    """Give every section the id sec-<i>-<j>..., the same in every edition."""

    def walk(node, prefix):
        index = 0
        for child in node.children:
            if isinstance(child, nodes.section):
                index += 1
                ident = f"{prefix}-{index}"
                if ident not in child["ids"]:
                    child["ids"].append(ident)
                    doctree.ids[ident] = child
                walk(child, ident)

    walk(doctree, "sec")


def needs_paragraph(lang, notebook):
    """'What it needs: ...' for a chapter, from the frameworks its code uses."""
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "tools"))
    from nbtools import frameworks

    text = NEEDS[lang][tuple(frameworks(notebook))]
    para = nodes.paragraph(classes=["chapter-needs"])
    para += nodes.strong(text=NEEDS[lang]["label"])
    before, _, after = text.partition("{light}")
    para += nodes.Text(before)
    if _:
        para += nodes.literal(text=RUN_COMMANDS["light"])
        para += nodes.Text(after)
    return para


def add_run_note(app, doctree, docname):
    """Under the title of every notebook page: how to run it after download.

    Added when the page is written (not read), so a change of `repository: url:`
    reaches every page, and the note stays out of the search index.
    """
    lang = edition_of(app)
    if lang is None:
        return
    if not str(app.env.doc2path(docname)).endswith(".ipynb"):
        return
    text = RUN_NOTE[lang]
    url = (app.config.html_theme_options or {}).get("repository_url", "")
    nb_path = f"book/{lang}/{docname}.ipynb"

    para = nodes.paragraph()
    template = text["with_url"] if url else text["no_url"]
    pieces = {
        "nb": nodes.literal(text=nb_path),
        "pkg": nodes.literal(text=RUN_COMMANDS["pkg"]),
        "lab": nodes.literal(text=RUN_COMMANDS["lab"]),
        "pip": nodes.literal(text=RUN_COMMANDS["pip"]),
        "repo": nodes.reference(text=f"{text['repo']} ({url})", refuri=url)
        if url
        else nodes.Text(text["repo"]),
    }
    rest = template
    while rest:
        start = rest.find("{")
        if start < 0:
            para += nodes.Text(rest)
            break
        end = rest.index("}", start)
        if start:
            para += nodes.Text(rest[:start])
        para += pieces[rest[start + 1 : end]].deepcopy()
        rest = rest[end + 1 :]

    note = nodes.admonition(classes=["tip", "run-this-chapter"])
    note += nodes.title(text=text["title"])
    note += para
    note += needs_paragraph(lang, pathlib.Path(app.env.doc2path(docname)))
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None:
        return
    title_index = next(
        (
            i
            for i, c in enumerate(section.children)
            if isinstance(c, nodes.title)
        ),
        -1,
    )
    section.insert(title_index + 1, note)


def on_doctree_read(app, doctree):
    add_positional_ids(app, doctree)


class JoinChineseLines(SphinxPostTransform):
    """join_cjk_lines, after the references are resolved (ReferencesResolver: 10)."""

    default_priority = 20

    def run(self, **kwargs):
        join_cjk_lines(self.app, self.document)


class LocaliseCellToggles(SphinxPostTransform):
    """myst-nb's toggles of hidden cells, in the edition's language (after HideInputCells)."""

    default_priority = 250
    formats = ("html",)

    def run(self, **kwargs):
        words = CELL_TOGGLES.get(self.app.config.language)
        if not words:
            return
        from myst_nb.sphinx_ import HideCodeCellNode

        default_show, default_hide = "Show code cell ", "Hide code cell "
        for node in self.document.findall(HideCodeCellNode):
            for key, default in (
                ("prompt_show", default_show),
                ("prompt_hide", default_hide),
            ):
                value = node.get(key, "")
                kind = (
                    value[len(default) :]
                    if value.startswith(default)
                    else None
                )
                if kind in words["types"]:
                    node[key] = words[key[len("prompt_") :]].replace(
                        "{type}", words["types"][kind]
                    )


# -- HTML ---------------------------------------------------------------------


def switcher_html(app, pagename: str, lang: str) -> str:
    up = "../" * (pagename.count("/") + 1)
    links = []
    for code, info in EDITIONS.items():
        label, bcp47 = html.escape(info["label"]), info["html_lang"]
        if code == lang:
            links.append(
                f'<span class="edition-current" lang="{bcp47}">{label}</span>'
            )
        elif (
            (app.srcdir.parent / code / pagename)
            .with_suffix(pathlib.Path(app.env.doc2path(pagename)).suffix)
            .exists()
        ):
            uri = f"{up}{code}/{pagename}.html"
            links.append(
                f'<a class="edition-link" href="{uri}" data-page="{uri}" hreflang="{bcp47}" lang="{bcp47}">{label}</a>'
            )
    label = SWITCHER_LABEL.get(app.config.language, "Language")
    return (
        f'<nav class="edition-switcher" aria-label="{label}">'
        + " · ".join(links)
        + "</nav>"
    )


def on_page_context(app, pagename, templatename, context, doctree):
    lang = edition_of(app)
    if lang is None or doctree is None or "body" not in context:
        return
    context["edition_switcher"] = switcher_html(app, pagename, lang)


# Korean writes its particles (조사) onto the word: the LSTM chapter has
# "셰익스피어의", not "셰익스피어". Sphinx has no Korean splitter; this one
# indexes each word as written and, when it ends in a common particle, its
# stem as well, so a search for the bare word finds every page that has it.
KOREAN_PARTICLES = sorted(
    "의 은 는 이 가 을 를 에 에서 에게 으로 로 와 과 도 만 까지 부터 처럼 보다 "
    "이다 입니다 이고 이며 이나 나".split(),
    key=len,
    reverse=True,
)


class SearchKorean(SearchLanguage):
    lang = "ko"
    language_name = "Korean"

    def split(self, input):
        words = []
        for word in super().split(input):
            words.append(word)
            for particle in KOREAN_PARTICLES:
                if word.endswith(particle) and len(word) > len(particle) + 1:
                    words.append(word[: -len(particle)])
                    break
        return words


def setup(app):
    # Korean search: words and their stems without a particle
    search_languages.setdefault("ko", SearchKorean)
    # Changes to this file re-read every page (tools/build_book.py sets the hash).
    app.add_config_value("editions_source_hash", "", "env")
    app.connect("config-inited", install_theme_strings, priority=400)
    app.connect("builder-inited", localise_templates)
    app.connect("doctree-read", on_doctree_read)
    app.connect("doctree-resolved", add_run_note)
    app.add_post_transform(LocaliseCellToggles)
    app.add_post_transform(JoinChineseLines)
    app.connect("html-page-context", on_page_context)
    app.connect("build-finished", localise_search_script)
    return {
        "version": "2.0",
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
