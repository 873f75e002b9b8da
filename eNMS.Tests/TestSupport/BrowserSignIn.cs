using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace eNMS.Tests.TestSupport;

/// <summary>A browser-like client (cookies, no redirects followed) that signs in through the login form's HTTP endpoint.</summary>
public static partial class BrowserSignIn
{
    public static HttpClient Browser(this WebApplicationFactory<Program> app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Posts the login form; the answer's Location is <paramref name="returnUrl"/> when signed in, else
    /// <c>/login?error=...</c>.</summary>
    public static async Task<string> SignInAsync(this HttpClient browser, string userName, string password, string returnUrl = "/devices")
    {
        var form = await browser.GetStringAsync("/login");
        using var response = await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(AntiforgeryField().Match(form).Groups[1].Value),
            ["userName"] = userName,
            ["password"] = password,
            ["returnUrl"] = returnUrl,
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location?.ToString() ?? "";
    }

    /// <summary>Posts <paramref name="fields"/> to <paramref name="action"/> with the antiforgery token of the form on
    /// <paramref name="formPage"/>, as that page's form would; returns the answer (redirects not followed).</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(this HttpClient browser, string formPage, string action, Dictionary<string, string> fields)
    {
        var form = await browser.GetStringAsync(formPage);
        fields["__RequestVerificationToken"] = WebUtility.HtmlDecode(AntiforgeryField().Match(form).Groups[1].Value);
        return await browser.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
