"""The tokens and keys both backends compare."""
from search.text import contains_phrase, grams, skill_key, tokens


def test_tokens_follow_the_standard_tokenizer():
    assert tokens("Python后端开发 Node.js 工程师（2026届）") == [
        "python", "后", "端", "开", "发", "node.js", "工", "程", "师", "2026", "届"]
    assert tokens("ＰＹＴＨＯＮ") == ["python"]  # full-width letters fold (NFKC)


def test_grams_are_han_bigrams_and_words():
    assert grams("Java 开发工程师") == ["java", "开发", "发工", "工程", "程师"]
    assert grams("会计") == ["会计"]
    assert grams("C 语言") == ["c", "语言"]
    assert grams("护士") == ["护士"] and grams("法") == ["法"]


def test_skill_keys_and_phrases():
    assert skill_key("  Spring   Boot ") == "spring boot" == skill_key("SPRING BOOT")
    assert contains_phrase(tokens("数据分析师"), tokens("数据分析"))
    assert not contains_phrase(tokens("数据的分析"), tokens("数据分析"))
