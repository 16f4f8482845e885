"""ui/scripts.compact: the hidden scripts lose their comments and indentation, never their code. (That the
compacted scripts still work is checked in the browser: test_a11y_browser, test_phone_browser and the
basket's reload in test_browser run them.)"""

from ui import scripts


def test_comments_and_indentation_go_line_breaks_stay():
    js = ('export default function ({ data }) {\n'
          '  // a comment on its own line\n'
          '  const a = data.x;  // after code\n'
          '\n'
          '  if (a) go(a)\n'
          '  return "a // b";\n'
          '}\n')
    assert scripts.compact(js) == ('export default function ({ data }) {\n'
                                   'const a = data.x;\n'
                                   'if (a) go(a)\n'
                                   'return "a // b";\n'
                                   '}')


def test_a_url_and_a_regular_expression_are_code():
    js = 'const u = "https://example.org/x";\nconst r = /\\/\\//g;'
    assert scripts.compact(js) == js


def test_the_three_scripts_keep_every_statement():
    from ui import a11y, basket_keeper, device

    for source in (a11y._JS, basket_keeper._JS, device._JS):
        code = [line.split("  // ")[0].strip() for line in source.splitlines()]
        kept = scripts.compact(source).splitlines()
        assert kept == [line for line in code if line and not line.startswith("//")]
