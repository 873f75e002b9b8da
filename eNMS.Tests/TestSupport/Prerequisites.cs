namespace eNMS.Tests.TestSupport;

/// <summary>
/// Tests that need something from the machine (PostgreSQL, Chromium, sshd, FRR) fail with a message naming it
/// when it is missing, unless the run opts out explicitly with ENMS_TEST_SKIP=postgres,chromium,lab.
/// </summary>
public static class Prerequisites
{
    public static bool OptedOut(string name) =>
        (Environment.GetEnvironmentVariable("ENMS_TEST_SKIP") ?? "")
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Contains(name, StringComparer.OrdinalIgnoreCase);

    /// <summary>Fails the test, naming the prerequisite and how to get it.</summary>
    public static void Require(string name, bool present, string howToInstall)
    {
        if (!present)
        {
            Assert.Fail($"Prerequisite '{name}' is missing: {howToInstall} (./test.sh installs it as root), or opt out with ENMS_TEST_SKIP={name}.");
        }
    }
}

/// <summary>A fact that is skipped only when the run opted out of its prerequisite (ENMS_TEST_SKIP).</summary>
public sealed class RequiresFactAttribute : FactAttribute
{
    public RequiresFactAttribute(string prerequisite)
    {
        if (Prerequisites.OptedOut(prerequisite))
        {
            Skip = $"ENMS_TEST_SKIP opts out of {prerequisite}";
        }
    }
}

public sealed class RequiresTheoryAttribute : TheoryAttribute
{
    public RequiresTheoryAttribute(string prerequisite)
    {
        if (Prerequisites.OptedOut(prerequisite))
        {
            Skip = $"ENMS_TEST_SKIP opts out of {prerequisite}";
        }
    }
}
