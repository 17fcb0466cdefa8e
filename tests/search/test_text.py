"""Words, concepts and the vocabularies: what both backends index and query (search/text.py, search/vocabulary.py)."""
from search import vocabulary as vocab
from search import text
from search.text import analyse, mark, query_units, terms, words


def test_chinese_is_segmented_into_words_with_the_words_inside_compounds():
    assert words("会计核算与财务报表") == ["会计核算", "与", "财务报表"]
    indexed = terms("会计核算")
    assert {"会计核算", "会计", "核算"} <= set(indexed)
    assert "会计" not in terms("机械设计工程师") and "计" not in terms("机械设计工程师")
    assert "数据分析" in terms("数据分析师")


def test_latin_words_stay_whole_and_lower_case():
    assert words("熟悉Node.js、C++和 Spring  Boot") == ["熟悉", "node.js", "c++", "和", "spring", "boot"]
    assert words("ＰＹＴＨＯＮ") == ["python"]


def test_concepts_are_indexed_whatever_the_language_or_spelling():
    assert "t:nurse" in terms("护士（夜班兼职）")
    assert "s:spring_boot" in terms("熟悉 spring boot")
    assert "s:machine_learning" in terms("机器学习模型研发")
    # a longer name wins: a structural designer is a civil engineer, not a graphic designer
    assert "t:civil_engineer" in terms("结构设计师") and "t:graphic_designer" not in terms("结构设计师")


def _one_pass(source: str) -> tuple:
    """The analysis as one pass over the whole text gives it: every word, every word inside one, then the concepts
    in the order they are found, with the first spelling of each skill."""
    folded = text.fold(source)
    outer, inner = text._spans(folded)
    found = dict.fromkeys([w for _, _, w in outer] + [w for _, _, w in inner])
    skills, titles = {}, {}
    for start, end, concept_terms in text._concept_spans(folded, outer, inner, text._concepts(True)):
        found.update(dict.fromkeys(concept_terms))
        for term in concept_terms:
            if term.startswith(text.SKILL_PREFIX):
                skills.setdefault(term.removeprefix(text.SKILL_PREFIX), source[start:end])
            else:
                titles.setdefault(term.removeprefix(text.TITLE_PREFIX), None)
    found.update(dict.fromkeys(text.TITLE_PREFIX + b for b in vocab.broader_titles(titles)))
    return tuple(found), tuple(skills.items()), tuple(titles)


def test_a_text_read_a_piece_at_a_time_is_analysed_as_in_one_pass():
    for source in ["岗位职责：参与工艺工程师（天津）日常工作；任职要求：SolidWorks、机械制图、CATIA，有相关实习经历优先。",
                   "熟悉Python，python 和 PYTHON；会 Spring Boot、spring boot（java开发）\n护士 nurse！机器学习? ML",
                   "结构设计师、会计核算，审计学【Ｅｘｃｅｌ】Excel：node.js, c++; C#",
                   "e\u0301cole，café。ＭｙＳＱＬ mysql", "", "，，。"]:
        analysis = analyse(source)
        assert (analysis.terms, analysis.skills, analysis.titles) == _one_pass(source), source
        assert analysis.indexed == " ".join(analysis.terms)
    # the first mention's spelling, in the order one pass finds names (longest first), whatever the piece
    assert dict(analyse("会 Excel、熟悉 spring boot，EXCEL").skills)["excel"] == "Excel"


def test_english_queries_and_typos_find_their_concepts():
    assert query_units("nurse") == [("nurse", "t:nurse")]
    assert query_units("software engineer") == [("t:software_engineer",)]
    assert query_units("pyhton") == [("pyhton", "python")]
    assert query_units("会计") == [("会计", "t:accountant", "s:accounting")]
    assert query_units("") == []


def test_highlights_mark_whole_words_and_escape_the_rest():
    assert mark("Python 后端 <b>", query_units("python")) == "<mark>Python</mark> 后端 &lt;b&gt;"
    assert mark("会计核算与审计", query_units("会计")) == "<mark>会计核算</mark>与审计"
    assert mark("护士长", query_units("nurse")) == "<mark>护士长</mark>"


def test_skills_map_to_canonical_ones_and_free_text_stays_comparable():
    assert vocab.skill_key("ML") == vocab.skill_key("机器学习") == vocab.skill_key("Machine Learning")
    assert vocab.skill_key("沟通") == vocab.skill_key("沟通能力")
    assert vocab.skill_key("护理知识") == vocab.skill_key("临床护理")
    assert vocab.skill_key("Spring  Boot") == vocab.skill_key("springboot")
    assert vocab.skill_key("  Unheard Of  ") == "x:unheard of"
    assert vocab.is_generic(vocab.skill_key("Excel")) and not vocab.is_generic(vocab.skill_key("会计核算"))
    assert vocab.suggest_skills("机器")[0] == "机器学习"
    assert vocab.suggest_skills("py")[:1] == ["Python"]


def test_majors_and_districts_as_data():
    assert vocab.major_classes("会计学") == vocab.major_classes("审计学") == ["u:管理学/工商管理类"]
    assert vocab.major_classes("护理") == ["v:医药卫生大类/护理类"]
    assert "河西区" in vocab.neighbours("南开区") and "滨海新区" not in vocab.neighbours("南开区")


def test_the_skills_field_is_completed_with_canonical_skills_as_the_user_types(client):
    from search.service import skill_completions

    assert skill_completions("Python, 机器")[0] == "Python, 机器学习"
    assert skill_completions("") == []
    html = client.get("/skills/suggest", params={"skills": "Excel，会计"}, headers={"HX-Request": "true"}).text
    assert '<option value="Excel, 会计核算">' in html and "<html" not in html
