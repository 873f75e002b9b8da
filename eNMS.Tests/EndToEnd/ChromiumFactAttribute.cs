namespace eNMS.Tests.EndToEnd;

/// <summary>
/// A browser test. Without Debian's Chromium it fails and says so, unless ENMS_TEST_SKIP names chromium: then it
/// is skipped (the opt-out test.sh documents).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        var optedOut = (Environment.GetEnvironmentVariable("ENMS_TEST_SKIP") ?? "").Contains("chromium", StringComparison.OrdinalIgnoreCase);
        if (optedOut && !File.Exists(ChromiumPath))
        {
            Skip = $"{ChromiumPath} is missing and ENMS_TEST_SKIP contains chromium.";
        }
    }
}
