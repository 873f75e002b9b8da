using Microsoft.Playwright;

namespace eNMS.Tests.EndToEnd;

internal static class Browser
{
    /// <summary>Browser tests run one at a time: each starts an app and a Chromium, and in parallel on two cores
    /// they starve each other's circuits.</summary>
    public const string Collection = "Browser";

    /// <summary>Debian Chromium, headless and quiet: no network beyond the app under test.</summary>
    public static readonly string[] Args =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    /// <summary>Runs the steps; on failure saves a screenshot next to the temp files and names it in the failure.</summary>
    /// <summary>Opens a page while signed out: the app sends the browser to the login form, and back to the page
    /// after signing in as the seeded admin. Fails on any Content-Security-Policy violation reported later.</summary>
    /// <remarks>interactiveTimeoutMilliseconds: how long the circuit may take to become interactive before the test
    /// calls it hung (it waits for the signal, not for this time).</remarks>
    /// <remarks>mustChangePassword: the account must change its password first (a generated first password): the
    /// sign-in lands on the static password page instead of <paramref name="path"/>.</remarks>
    public static async Task<List<string>> SignInAtAsync(IPage page, string path, float interactiveTimeoutMilliseconds = 20_000, string? password = null,
        bool mustChangePassword = false)
    {
        ArgumentNullException.ThrowIfNull(page);
        var cspViolations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                cspViolations.Add(message.Text);
            }
        };
        await page.GotoAsync(path);
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login"));
        await page.GetByTestId("login-user").FillAsync("admin");
        await page.GetByTestId("login-password").FillAsync(password ?? AppServer.AdminPassword);
        await page.GetByTestId("login-submit").ClickAsync();
        if (mustChangePassword)
        {
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/password$"));
            return cspViolations;
        }
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(System.Text.RegularExpressions.Regex.Escape(path) + "$"));
        await Assertions.Expect(page.GetByTestId("interactive")).ToBeAttachedAsync(new() { Timeout = interactiveTimeoutMilliseconds });
        return cspViolations;
    }

    /// <summary>Runs a test's browser steps; on failure, keeps a screenshot and quotes what the app logged as warnings
    /// or errors, so a failure on a CI machine explains itself.</summary>
    public static async Task StepsAsync(IPage page, string name, Func<Task> steps, AppServer? app = null)
    {
        try
        {
            await steps();
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            var path = Path.Combine(Path.GetTempPath(), $"enms-e2e-{name}-failure.png");
            await page.ScreenshotAsync(new() { Path = path, FullPage = true });
            var logged = app is null ? "" : $"\nThe app logged:\n{app.Problems()}";
            throw new InvalidOperationException($"{e.Message}\nScreenshot: {path}{logged}", e);
        }
    }
}
