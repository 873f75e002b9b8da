using System.Text.Json.Nodes;
using eNMS.Core.Automation;
using eNMS.Core.Automation.Workflows;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace eNMS.Tests.EndToEnd;

/// <summary>Issue 22's everyday UI in real Chromium: the theme following the OS and the user's choice, readable on
/// every kind of page; the designer's keyboard shortcuts and where a new edge attaches while it is drawn.</summary>
[Collection(Browser.Collection)]
public sealed class EverydayUiTests
{
    /// <summary>The WCAG contrast ratio of an element's text colour against the first non-transparent background
    /// behind it, computed by the browser from the styles it applied.</summary>
    private const string ContrastScript = """
        el => {
          const rgb = s => s.match(/[\d.]+/g).map(Number);
          const lum = ([r, g, b]) => { const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
          let bg = null;
          for (let e = el; e && !bg; e = e.parentElement) { const c = getComputedStyle(e).backgroundColor; const v = rgb(c); if (v.length < 4 || v[3] > 0) bg = v; }
          bg ??= [255, 255, 255];
          const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(bg)];
          return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        }
        """;

    [ChromiumFact]
    public async Task The_theme_follows_the_system_until_the_user_chooses_and_every_page_stays_readable()
    {
        await using var app = new AppServer(seedDemo: true);
        app.StartServer();
        var workflowId = await CreateAsync(app, "readable", "workflow", graph: new WorkflowGraph
        {
            Start = "a",
            Nodes = [new() { Id = "a", ServiceId = await CreateAsync(app, "pause", "wait"), X = 40, Y = 40 }],
        });
        await using var browser = await BrowserSession.LaunchAsync();
        await using var context = await browser.NewContextAsync(new() { BaseURL = app.BaseUrl, ColorScheme = ColorScheme.Dark, ViewportSize = new() { Width = 1500, Height = 950 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        var html = page.Locator("html");
        await Browser.StepsAsync(page, "theme", async () =>
        {
            await Browser.SignInAtAsync(page, "/devices");
            // Nothing chosen yet: "system", and the OS (emulated here) prefers dark.
            await Expect(html).ToHaveAttributeAsync("data-theme", "dark");
            await Expect(page.GetByTestId("theme-menu")).ToHaveAttributeAsync("data-theme-choice", "system");
            await Expect(page.GetByTestId("device-name").First).ToBeVisibleAsync();
            Assert.True(await page.GetByTestId("device-name").First.Locator("a").EvaluateAsync<double>(ContrastScript) >= 4.5, "device links readable in dark mode");
            await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "enms-dark-devices.png") });

            await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
            await Expect(html).ToHaveAttributeAsync("data-theme", "light");
            await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
            await Expect(html).ToHaveAttributeAsync("data-theme", "dark");

            await page.GotoAsync($"/workflows/{workflowId}/designer");
            await Expect(page.GetByTestId("interactive")).ToBeAttachedAsync();
            await Expect(html).ToHaveAttributeAsync("data-theme", "dark");
            var node = page.Locator("[data-node='pause'] .enms-node-title");
            await Expect(node).ToBeVisibleAsync();
            Assert.True(await node.EvaluateAsync<double>(ContrastScript) >= 4.5, "designer nodes readable in dark mode");
            await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "enms-dark-designer.png") });

            await page.GotoAsync("/map");
            await Expect(page.GetByTestId("interactive")).ToBeAttachedAsync();
            await Expect(page.Locator("[data-ready]").First).ToHaveAttributeAsync("data-ready", "true");
            // The canvas paints its own ocean: dark in dark mode (a corner pixel, away from markers).
            await WaitForOceanAsync(page, dark: true);
            await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "enms-dark-map.png") });

            // The user's choice wins over the OS, and is remembered across reloads.
            await page.GetByTestId("theme-menu").Locator("button").ClickAsync();
            await page.GetByTestId("theme-light").ClickAsync();
            await Expect(html).ToHaveAttributeAsync("data-theme", "light");
            await page.ReloadAsync();
            await Expect(page.GetByTestId("interactive")).ToBeAttachedAsync();
            await Expect(page.GetByTestId("theme-menu")).ToHaveAttributeAsync("data-theme-choice", "light");
            await Expect(html).ToHaveAttributeAsync("data-theme", "light");
            await Expect(page.Locator("[data-ready]").First).ToHaveAttributeAsync("data-ready", "true");
            await WaitForOceanAsync(page, dark: false);
        });
    }

    [ChromiumFact]
    public async Task Designer_shortcuts_and_a_new_edge_that_attaches_only_to_an_input_port()
    {
        await using var app = new AppServer();
        app.StartServer();
        var (first, second) = (await CreateAsync(app, "first", "wait"), await CreateAsync(app, "second", "wait"));
        var workflowId = await CreateAsync(app, "keyboard", "workflow", graph: new WorkflowGraph
        {
            Start = "a",
            Nodes = [new() { Id = "a", ServiceId = first, X = 60, Y = 60 }, new() { Id = "b", ServiceId = second, X = 460, Y = 260 }],
        });
        await using var browser = await BrowserSession.LaunchAsync();
        var page = await browser.NewPageAsync(app, width: 1600, height: 1000);
        await Browser.StepsAsync(page, "designer-keys", async () =>
        {
            await Browser.SignInAtAsync(page, $"/workflows/{workflowId}/designer");
            var nodes = page.Locator("[data-node]");
            await Expect(nodes).ToHaveCountAsync(2);

            // Drawing from "first"'s success port and letting go 15 px right of "second"'s success port (well inside
            // the 40 px snapping radius) makes no edge: before, the new edge snapped onto that success port while it
            // was drawn and stayed drawn there once dropped (issue 22: "a designer edge can look attached to the wrong
            // port while drawing").
            var from = await Center(page.Locator("[data-node='first'] .enms-port-success"));
            var wrongPort = await Center(page.Locator("[data-node='second'] .enms-port-success"));
            var input = await Center(page.Locator("[data-node='second'] .enms-port-in"));
            await page.Mouse.MoveAsync(from.X, from.Y);
            await page.Mouse.DownAsync();
            var pointer = (X: wrongPort.X + 15, wrongPort.Y);
            await page.Mouse.MoveAsync(pointer.X, pointer.Y, new() { Steps = 15 });
            // It follows the pointer: the line stops short of it (5 px, then its 10 px arrow, which the library takes off
            // along both axes: 15 px when the edge runs level, 23 px at the 45° this graph gets on CI's wider canvas,
            // where a fixed 20 px failed twice with the same numbers). Dropped there, no edge is made (asserted below).
            await WaitForLinkEndAsync(page, pointer, 26);
            await page.Mouse.UpAsync();
            await Expect(page.Locator("g.diagram-link")).ToHaveCountAsync(0);

            // Near the input port it snaps there, and the edge stays once dropped.
            await page.Mouse.MoveAsync(from.X, from.Y);
            await page.Mouse.DownAsync();
            await page.Mouse.MoveAsync(input.X - 15, input.Y, new() { Steps = 15 });
            await page.Mouse.UpAsync();
            await Expect(page.Locator("g.diagram-link")).ToHaveCountAsync(1);
            // Its arrow stops at the input port's edge; every other port is more than 60 px away.
            await WaitForLinkEndAsync(page, input, 20);

            // Select all, copy, paste: two more nodes and the edge between them.
            await page.Locator("[data-node='first']").ClickAsync();
            await page.Keyboard.PressAsync("Control+a");
            await page.Keyboard.PressAsync("Control+c");
            await page.Keyboard.PressAsync("Control+v");
            await Expect(nodes).ToHaveCountAsync(4);
            await Expect(page.Locator("g.diagram-link")).ToHaveCountAsync(2);

            // Delete what was pasted (it is the selection), then undo and redo it.
            await page.Keyboard.PressAsync("Delete");
            await Expect(nodes).ToHaveCountAsync(2);
            await Expect(page.Locator("g.diagram-link")).ToHaveCountAsync(1);
            await page.Keyboard.PressAsync("Control+z");
            await Expect(nodes).ToHaveCountAsync(4);
            await page.Keyboard.PressAsync("Control+y");
            await Expect(nodes).ToHaveCountAsync(2);
            await page.Keyboard.PressAsync("Control+z");
            await page.Keyboard.PressAsync("Control+z");
            await page.Keyboard.PressAsync("Control+z");
            await Expect(nodes).ToHaveCountAsync(2);
            await Expect(page.Locator("g.diagram-link")).ToHaveCountAsync(0);
            await page.GetByTestId("redo").ClickAsync();
            await Expect(page.Locator("g.diagram-link")).ToHaveCountAsync(1);
            // Ctrl+A on the canvas selects nodes, not the page's text.
            Assert.Equal("", await page.EvaluateAsync<string>("() => getSelection().toString()"));
        });
    }

    /// <summary>Waits (on the browser's frames) until the map's corner pixel is dark or light; the canvas repaints
    /// on the frame after data-theme changes, so reading it once right after a reload races the first paint.</summary>
    private static async Task WaitForOceanAsync(IPage page, bool dark)
    {
        var hang = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var rgb = await OceanAsync(page);
            var brightness = rgb[0] + rgb[1] + rgb[2];
            if (dark ? brightness < 3 * 80 : brightness > 3 * 180)
            {
                return;
            }
            Assert.True(hang.Elapsed < TimeSpan.FromSeconds(10), $"the map's background is {(dark ? "dark" : "light")}: rgba({string.Join(", ", rgb)})");
            await page.EvaluateAsync("() => new Promise(resolve => requestAnimationFrame(resolve))");
        }
    }

    private static Task<int[]> OceanAsync(IPage page) => page.Locator("canvas[data-testid=network-canvas]")
        .EvaluateAsync<int[]>("c => Array.from(c.getContext('2d').getImageData(2, 2, 1, 1).data)");

    private static async Task<(float X, float Y)> Center(ILocator locator)
    {
        var box = await locator.BoundingBoxAsync() ?? throw new InvalidOperationException("not visible");
        return (box.X + box.Width / 2, box.Y + box.Height / 2);
    }

    private const string LinkEndScript = """
        () => { const p = [...document.querySelectorAll("g.diagram-link")].pop()?.querySelector("path"); if (!p) return null;
          const q = p.getPointAtLength(p.getTotalLength()); const m = p.getScreenCTM();
          return [q.x * m.a + q.y * m.c + m.e, q.x * m.b + q.y * m.d + m.f]; }
        """;

    private const string LayoutScript = """
        () => { const c = document.querySelector(".diagram-canvas")?.getBoundingClientRect();
          const d = [...document.querySelectorAll("g.diagram-link path")].map(p => p.getAttribute("d")).join(" | ");
          return `canvas at (${c?.left}, ${c?.top}) ${c?.width}x${c?.height}, page scrolled (${scrollX}, ${scrollY}), link paths: ${d}`; }
        """;

    /// <summary>Waits (on the browser's frames) until the last link's line ends within <paramref name="radius"/> px
    /// of a point on screen; fails saying where it ends. The first path of a link is its line (the arrow is another).</summary>
    private static async Task WaitForLinkEndAsync(IPage page, (float X, float Y) point, int radius)
    {
        // Each check waits for the browser's next frame; the 10 s only decides when waiting has become a hang.
        var hang = System.Diagnostics.Stopwatch.StartNew();
        float[]? end;
        while ((end = await page.EvaluateAsync<float[]?>(LinkEndScript)) is null || Math.Sqrt(Math.Pow(end[0] - point.X, 2) + Math.Pow(end[1] - point.Y, 2)) >= radius)
        {
            if (hang.Elapsed >= TimeSpan.FromSeconds(10))
            {
                // Where the canvas and the page are now, to tell a layout shift from a lagging or wrongly snapped link.
                var layout = await page.EvaluateAsync<string>(LayoutScript);
                Assert.Fail($"the last link ends at ({string.Join(", ", end ?? [])}), not within {radius} px of ({point.X}, {point.Y}); {layout}");
            }
            await page.EvaluateAsync("() => new Promise(resolve => requestAnimationFrame(resolve))");
        }
    }

    private static async Task<int> CreateAsync(AppServer app, string name, string kind, WorkflowGraph? graph = null)
    {
        var result = await app.Services.GetRequiredService<ServiceEditor>().SaveAsync(new ServiceInput
        {
            Name = name,
            Kind = kind,
            Parameters = JsonNode.Parse(kind == "wait" ? """{"seconds": 0}""" : "{}")!.AsObject(),
            Graph = graph,
        }, null, CancellationToken.None);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Values));
        return result.Id;
    }
}
