using eNMS.Drivers;

namespace eNMS.Tests.Drivers;

/// <summary>The one redactor every transcript, result, log and recording goes through.</summary>
public sealed class SecretRedactorTests
{
    [Theory]
    [InlineData("abcd", "abcdefgh")]
    [InlineData("abcdefgh", "abcd")]
    public void A_secret_that_is_a_prefix_of_another_leaves_no_part_of_the_longer_one(string first, string second)
    {
        var redactor = new SecretRedactor([first, second]);

        Assert.Equal("pw=******** and ******** then ********", redactor.Redact("pw=abcdefgh and abcd then abcdefgh"));
    }

    [Fact]
    public void Overlapping_and_touching_secrets_become_one_marker_and_repeats_of_one_secret_too()
    {
        var redactor = new SecretRedactor(["1234xyz", "abcd1234", "zzzz"]);

        Assert.Equal("[********]", redactor.Redact("[abcd1234xyz]"));
        Assert.Equal("a********b", redactor.Redact("azzzzzzzzzzb"));
        Assert.Equal("********", redactor.Redact("abcd1234abcd1234"));
    }

    [Fact]
    public void A_secret_is_masked_in_its_json_escaped_forms()
    {
        var redactor = new SecretRedactor(["p\"ss+wörd"]);

        Assert.Equal("{\"a\":\"********\"}", redactor.Redact("{\"a\":\"p\\u0022ss\\u002Bw\\u00F6rd\"}"));
        Assert.Equal("{\"a\":\"********\"}", redactor.Redact("{\"a\":\"p\\\"ss+wörd\"}"));
        Assert.Equal("raw ********", redactor.Redact("raw p\"ss+wörd"));
    }

    [Fact]
    public void Empty_and_very_short_secrets_are_ignored_so_ordinary_text_survives()
    {
        var redactor = new SecretRedactor(["", null, "a", "en", "ena", "enable-me"]);

        Assert.Equal("enable ********", redactor.Redact("enable enable-me"));
        Assert.True(new SecretRedactor(["", "xyz"]).IsEmpty);
    }

    [Fact]
    public void Text_without_a_secret_is_returned_as_is_and_with_adds_only_new_secrets()
    {
        var redactor = new SecretRedactor(["s3cret-pass"]);
        const string text = "nothing to hide";

        Assert.Same(text, redactor.Redact(text));
        Assert.Same(redactor, redactor.With(["s3cret-pass", "x"]));
        Assert.Equal("******** ********", redactor.With(["other-secret"]).Redact("s3cret-pass other-secret"));
        Assert.DoesNotContain("s3cret", redactor.ToString(), StringComparison.Ordinal);
    }
}
