using eNMS.Core.Parsing;

namespace eNMS.Tests.Core.Parsing;

/// <summary>The engine against TextFSM's documented semantics (github.com/google/textfsm/wiki/TextFSM): template
/// errors first, then each option and action.</summary>
public sealed class TextFsmEngineTests
{
    private static TextFsmTable Run(string template, string text) => TextFsmRunner.Parse(TextFsmTemplate.Parse(template), text);

    private static string Rows(TextFsmTable table) => string.Join(" | ", table.Rows.Select(r => string.Join(",", r.Select(Cell))));

    private static string Cell(object? cell) => cell switch
    {
        List<object?> list => "[" + string.Join(";", list.Select(Cell)) + "]",
        Dictionary<string, string?> map => "{" + string.Join(";", map.Select(p => $"{p.Key}={p.Value}")) + "}",
        _ => cell?.ToString() ?? "null",
    };

    [Theory]
    [InlineData("", "Null template")]
    [InlineData("Value A (x)\n", "Missing state 'Start'")]
    [InlineData("Valu A (x)\n\nStart\n  ^x\n", "line 1: No Value definitions found")]
    [InlineData("Value A (x)\nfoo\n", "line 2: Expected blank line")]
    [InlineData("Value Bogus A (x)\n\nStart\n  ^x\n", "line 1: Unknown option \"Bogus\"")]
    [InlineData("Value Key,Key A (x)\n\nStart\n  ^x\n", "Duplicate option \"Key\"")]
    [InlineData("Value Key A x\n\nStart\n  ^x\n", "must be contained within a '()' pair")]
    [InlineData("Value A (x))\n\nStart\n  ^x\n", "must be contained within a '()' pair")]
    [InlineData("Value A (x)\nValue A (y)\n\nStart\n  ^x\n", "line 2: Duplicate declarations for Value 'A'")]
    [InlineData("Value A (x)\n\nStart\n^x\n", "line 4: Missing white space or carat")]
    [InlineData("Value A (x)\n\nStart\n  ^x$\n", "line 4: Duplicate or invalid variable substitution")]
    [InlineData("Value A (x)\n\nStart\n  ^${B}\n", "no Value 'B'")]
    [InlineData("Value A (x)\n\nStart\n  ^${A} ${A}\n", "line 4: Invalid regular expression")]
    [InlineData("Value A (x)\n\nStart\n  ^x -> Nowhere\n", "State 'Nowhere' not found, referenced in state 'Start'")]
    [InlineData("Value A (x)\n\nStart\n  ^x -> Continue Other\n\nOther\n  ^y\n", "line 4: Action 'Continue' with new state")]
    [InlineData("Value A (x)\n\nStart\n  ^x -> Next.Bogus\n", "line 4: Badly formatted rule")]
    [InlineData("Value A (x)\n\nStart\n  ^x\n\nEOF\n  ^y\n", "Non-Empty 'EOF' state")]
    [InlineData("Value A (x)\n\nStart\n  ^x\n\nEnd\n  ^y\n", "Non-Empty 'End' state")]
    [InlineData("Value A (x)\n\nStart\n  ^x\n\nStart\n  ^y\n", "line 6: Duplicate state name")]
    [InlineData("Value A (x)\n\nRecord\n  ^x\n", "Invalid state name")]
    [InlineData("Value A ([)\n\nStart\n  ^x\n", "line 1: Value 'A': invalid regular expression")]
    public void A_template_error_names_its_line(string template, string expected)
    {
        var e = Assert.Throws<TextFsmTemplateException>(() => TextFsmTemplate.Parse(template));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_template_past_the_size_bound_is_refused()
    {
        var e = Assert.Throws<TextFsmTemplateException>(() => TextFsmTemplate.Parse("Value A (x)\n\nStart\n" + string.Concat(Enumerable.Repeat("  ^x\n", 60_000))));
        Assert.Contains("longer than", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_Error_rule_stops_parsing_with_its_message_and_the_line()
    {
        var e = Assert.Throws<TextFsmParseException>(() => Run("Value A (\\S+)\n\nStart\n  ^ok ${A} -> Record\n  ^. -> Error \"unexpected line\"\n", "ok 1\nbad 2\n"));
        Assert.Equal("Error: \"unexpected line\". Rule Line: 5. Input Line: bad 2.", e.Message);
        var bare = Assert.Throws<TextFsmParseException>(() => Run("Value A (\\S+)\n\nStart\n  ^. -> Error\n", "x"));
        Assert.StartsWith("State Error raised. Rule Line: 4.", bare.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Input_past_the_size_bound_is_refused()
    {
        var template = TextFsmTemplate.Parse("Value A (x)\n\nStart\n  ^${A}\n");
        Assert.Throws<TextFsmParseException>(() => TextFsmRunner.Parse(template, new string('x', TextFsmRunner.MaxInputLength + 1)));
    }

    [Fact]
    public void A_catastrophic_regex_times_out_instead_of_holding_the_server()
    {
        var e = Assert.Throws<TextFsmParseException>(() => Run("Value A ((a+)+b)\n\nStart\n  ^${A}\n", new string('a', 40) + "c"));
        Assert.Contains("longer than", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Record_keeps_rows_and_the_implicit_EOF_record_adds_the_last()
    {
        var table = Run("Value Name (\\S+)\nValue Size (\\d+)\n\nStart\n  ^file ${Name} ${Size} -> Record\n  ^last ${Name}\n",
            "file a 1\nnoise\nfile b 2\nlast c\n");
        Assert.Equal(["Name", "Size"], table.Header);
        Assert.Equal("a,1 | b,2 | c,", Rows(table));
    }

    [Fact]
    public void An_empty_EOF_state_suppresses_the_implicit_record_and_End_stops()
    {
        Assert.Equal("", Rows(Run("Value A (\\S+)\n\nStart\n  ^v ${A}\n\nEOF\n", "v 1\n")));
        Assert.Equal("1", Rows(Run("Value A (\\S+)\n\nStart\n  ^v ${A} -> Record\n  ^stop -> End\n", "v 1\nstop\nv 2\n")));
    }

    [Fact]
    public void Filldown_carries_a_value_into_later_records_and_Clearall_drops_it()
    {
        var table = Run("Value Filldown Vrf (\\S+)\nValue Route (\\S+)\n\nStart\n  ^vrf ${Vrf}\n  ^route ${Route} -> Record\n  ^reset -> Clearall\n",
            "vrf red\nroute 1\nroute 2\nvrf blue\nroute 3\nreset\nroute 4\n");
        // No implicit last record: after "route 4" the record was kept, and the Filldown value alone is not empty.
        Assert.Equal("red,1 | red,2 | blue,3 | ,4", Rows(table));
    }

    [Fact]
    public void Filldown_alone_still_makes_a_trailing_record_at_EOF()
    {
        Assert.Equal("red,1 | red,", Rows(Run("Value Filldown Vrf (\\S+)\nValue Route (\\S+)\n\nStart\n  ^vrf ${Vrf}\n  ^route ${Route} -> Record\n", "vrf red\nroute 1\n")));
    }

    [Fact]
    public void Required_drops_records_missing_the_value()
    {
        Assert.Equal("b,2", Rows(Run("Value A (\\S+)\nValue Required B (\\d+)\n\nStart\n  ^a ${A} -> Record\n  ^ab ${A} ${B} -> Record\n", "a x\nab b 2\n")));
    }

    [Fact]
    public void Fillup_copies_a_value_up_into_the_records_above_that_lack_it()
    {
        var table = Run("Value Port (\\S+)\nValue Fillup Speed (\\d+)\n\nStart\n  ^port ${Port} ${Speed} -> Record\n  ^port ${Port} -> Record\n",
            "port 1 10\nport 2\nport 3\nport 4 100\n");
        Assert.Equal("1,10 | 2,100 | 3,100 | 4,100", Rows(table));
    }

    [Fact]
    public void List_gathers_every_match_and_nested_groups_become_maps()
    {
        var table = Run("Value Name (\\S+)\nValue List Members (\\S+)\n\nStart\n  ^group ${Name}\n  ^ member ${Members}\n  ^end -> Record\n",
            "group a\n member x\n member y\nend\ngroup b\nend\n");
        Assert.Equal("a,[x;y] | b,[]", Rows(table));
        var nested = Run("Value List People ((?P<name>\\w+)\\s+(?P<age>\\d+))\n\nStart\n  ^${People}\n", "Bob 32\nAnn 40\n");
        Assert.Equal("[{name=Bob;age=32};{name=Ann;age=40}]", Rows(nested));
    }

    [Fact]
    public void Continue_lets_the_following_rules_see_the_same_line()
    {
        var table = Run("Value A (\\S+)\nValue B (\\S+)\n\nStart\n  ^${A} -> Continue\n  ^\\S+ ${B} -> Record\n", "x y\n");
        Assert.Equal("x,y", Rows(table));
    }

    [Fact]
    public void States_change_on_Next_with_a_new_state_and_Clear_keeps_Filldown()
    {
        const string template = "Value Filldown Host (\\S+)\nValue Item (\\S+)\n\nStart\n  ^host ${Host} -> Items\n\n" +
            "Items\n  ^item ${Item} -> Record\n  ^drop ${Item} -> Clear\n  ^done -> Start\n";
        var table = Run(template, "item ignored\nhost h1\nitem i1\ndrop i2\ndone\nitem ignored\nhost h2\nitem i3\n");
        Assert.Equal("h1,i1 | h2,i3 | h2,", Rows(table));
    }

    [Fact]
    public void Dollar_escapes_and_unbraced_names_substitute_as_Python_string_Template_does()
    {
        Assert.Equal("10", Rows(Run("Value Mtu (\\d+)\n\nStart\n  ^mtu $Mtu$$ -> Record\n", "mtu 10\nmtu 20 extra\n")));
    }

    [Fact]
    public void Python_regex_syntax_is_translated()
    {
        Assert.Equal("ab,ab", Rows(Run("Value A (\\w+)\nValue B (\\w+)\n\nStart\n  ^(?P<x>\\w+) (?P=x)\\Z -> Continue\n  ^${A} ${B} -> Record\n", "ab ab\n")));
        Assert.Equal("(?<n>a)\\k<n>\\z{0,2}[\\[]", PythonRegex.Translate("(?P<n>a)(?P=n)\\Z{,2}[[]"));
        Assert.Equal("(?i)abc", PythonRegex.Translate("(?iu)abc"));
    }
}
