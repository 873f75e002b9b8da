using System.Diagnostics;
using eNMS.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace eNMS.Bench;

/// <summary>
/// The UI in Chromium, driven by Playwright against a running eNMS.Web whose database this part seeds:
/// <list type="bullet">
/// <item>topology / map: time to first paint (navigation → the <c>enms:first-frame</c> performance mark the view
/// sets when it first draws devices) and frames per second while the mouse pans the view for a few seconds
/// (canvas draws counted in the page, with their cost, and the browser's animation frames);</item>
/// <item>designer: time to open (navigation → every node in the DOM) and to drag a node (mouse down → the node drawn
/// at where it finally lands).</item>
/// </list>
/// Each figure comes from the second load of the page: the first one (untimed) compiles the server's and the
/// browser's code paths, as a user's second visit would find them.
/// </summary>
public static class UiBench
{
    internal const string ChromiumPath = "/usr/bin/chromium";

    // As the end-to-end tests launch it: headless, software rendering (no GPU here), no network beyond the app.
    internal static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    public static async Task RunAsync(Options options, CancellationToken ct)
    {
        var view = options.Required("view");
        var url = options.Required("url");
        RequireChromium();
        using var host = BenchHost.Build(options);
        var dbFactory = host.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath, Args = ChromiumArgs });
        var context = await browser.NewContextAsync(new() { BaseURL = url, ViewportSize = new() { Width = 1400, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        switch (view)
        {
            case "topology":
            case "map":
                var devices = options.Number("devices", view == "map" ? 10_000 : 5_000);
                // The map is about devices (0 links unless asked); --links 0 is allowed.
                var links = options.Text("links", view == "map" ? "0" : "10000") is var text && int.TryParse(text, out var n) && n >= 0 ? n
                    : throw new BenchException($"--links must be a whole number ≥ 0, not '{text}'.");
                await UiSeed.NetworkAsync(dbFactory, devices, links, ct);
                await SignInAsync(page);
                await NetworkViewAsync(page, view, options.Number("pan-seconds", 3), ct);
                break;
            case "designer":
                var nodes = options.Number("nodes", 200);
                var workflowId = await UiSeed.WorkflowAsync(dbFactory, nodes, ct);
                await SignInAsync(page);
                await DesignerAsync(context, page, workflowId, nodes);
                break;
            default:
                throw new BenchException($"--view must be topology, map or designer, not '{view}'.");
        }
    }

    internal static void RequireChromium()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new BenchException($"Debian chromium is required at {ChromiumPath} (apt-get install chromium).");
        }
    }

    internal static async Task SignInAsync(IPage page)
    {
        await page.GotoAsync("/login");
        await page.GetByTestId("login-user").FillAsync("admin");
        await page.GetByTestId("login-password").FillAsync(BenchHost.AdminPassword);
        await page.GetByTestId("login-submit").ClickAsync();
        try
        {
            await page.GetByTestId("interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        }
        catch (TimeoutException)
        {
            var screenshot = Path.Combine(Path.GetTempPath(), "enms-bench-ui-sign-in.png");
            await page.ScreenshotAsync(new() { Path = screenshot });
            throw new BenchException($"signing in as admin did not reach an interactive page (at {page.Url}); screenshot: {screenshot}");
        }
    }

    private static async Task NetworkViewAsync(IPage page, string view, int panSeconds, CancellationToken ct)
    {
        var path = view == "map" ? "/map" : "/topology";
        await OpenViewAsync(page, path); // warm-up
        await OpenViewAsync(page, path);
        var firstFrameMs = await page.EvaluateAsync<double>("performance.getEntriesByName('enms:first-frame')[0].startTime");
        var counts = await page.EvaluateAsync<int[]>("[+document.querySelector('[data-testid=network-view]').dataset.devices, +document.querySelector('[data-testid=network-view]').dataset.links]");
        // The topology lays itself out for a while after its first frame: pan the settled picture, as a user would.
        if (view == "topology")
        {
            await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=network-view]').dataset.layout === 'done'", null, new() { PollingInterval = 100, Timeout = 600_000 });
        }
        var layoutSeconds = view == "topology" ? await page.EvaluateAsync<double>("() => performance.now() / 1000") : 0;

        var cdp = await page.Context.NewCDPSessionAsync(page);
        await cdp.SendAsync("Performance.enable");
        var (driven, pan) = await PanAsync(page, cdp, panSeconds, ct);
        Measure.Report("ui", ("view", view), ("devices", counts[0]), ("links", counts[1]), ("first_frame_ms", firstFrameMs),
            ("layout_s", layoutSeconds), ("pan_fps", pan.DrawsPerSecond),
            ("raf_fps", pan.FramesPerSecond), ("draw_ms", pan.DrawMs), ("draw_max_ms", pan.DrawMaxMs), ("script_ms_per_frame", pan.ScriptMsPerDraw), ("task_ms_per_frame", pan.TaskMsPerDraw),
            ("moves", pan.Moves), ("playwright_pan_fps", driven.DrawsPerSecond), ("playwright_moves", driven.Moves), ("gpu", "none"));
    }

    /// <summary>Navigates to a view and waits for its first frame with devices drawn.</summary>
    private static async Task OpenViewAsync(IPage page, string path)
    {
        await page.GotoAsync("/"); // leave the view, so the next visit is a full navigation
        await page.GotoAsync(path);
        await page.WaitForFunctionAsync("() => performance.getEntriesByName('enms:first-frame').length > 0", null, new() { PollingInterval = 50 });
    }

    private sealed record PanFigures(double DrawsPerSecond, double FramesPerSecond, double DrawMs, double DrawMaxMs, double ScriptMsPerDraw, double TaskMsPerDraw, int Moves);

    /// <summary>
    /// Presses the mouse on an empty spot and pans the view back and forth for a few seconds, twice: once with every
    /// move sent by Playwright, once with the moves made in the page. Counts the canvas draws (and their cost) and the
    /// animation frames. Playwright's moves (CDP Input.dispatchMouseEvent, each waiting for the renderer's
    /// acknowledgement) reach headless Chromium at a rate set by the machine's load (13 to 41 a second in our runs)
    /// whatever the view does, so that figure is the harness's; the in-page moves come every 4 ms as a real mouse's
    /// do and measure the view.
    /// </summary>
    private static async Task<(PanFigures Driven, PanFigures InPage)> PanAsync(IPage page, ICDPSession cdp, int seconds, CancellationToken ct)
    {
        var canvas = await page.GetByTestId("network-canvas").BoundingBoxAsync() ?? throw new BenchException("the view's canvas is not visible");
        // An empty spot: pressing on a device would drag it (topology) instead of panning.
        var start = await page.EvaluateAsync<double[]?>("""
            () => {
              const view = document.querySelector('[data-testid=network-view]').enmsView;
              for (let y = 20; y < view.height; y += 15) for (let x = 20; x < view.width; x += 15)
                if (!view.markerAt(x, y) && !view.markerAt(x + 150, y)) return [x, y];
              return null;
            }
            """) ?? throw new BenchException("no empty spot on the canvas to start panning from");
        await page.EvaluateAsync("""
            () => {
              const view = document.querySelector('[data-testid=network-view]').enmsView;
              const stats = window.enmsBench = { draws: 0, drawMs: 0, drawMax: 0, frames: 0, started: 0 };
              const renderNow = view.renderNow.bind(view);
              view.renderNow = () => {
                const t = performance.now();
                renderNow();
                const ms = performance.now() - t;
                stats.draws++; stats.drawMs += ms; stats.drawMax = Math.max(stats.drawMax, ms);
              };
              const frame = () => { stats.frames++; requestAnimationFrame(frame); };
              requestAnimationFrame(frame);
            }
            """);
        var (x0, y0) = (canvas.X + start[0], canvas.Y + start[1]);

        async Task<PanFigures> MeasureAsync(Func<Task<int>> pan)
        {
            await page.Mouse.MoveAsync((float)x0, (float)y0);
            await page.Mouse.DownAsync();
            await page.EvaluateAsync("() => Object.assign(window.enmsBench, { draws: 0, drawMs: 0, drawMax: 0, frames: 0, started: performance.now() })");
            var before = await MetricsAsync(cdp);
            var moves = await pan();
            var stats = await page.EvaluateAsync<double[]>("""
                () => { const s = window.enmsBench; return [s.draws, s.drawMs, s.drawMax, s.frames, performance.now() - s.started]; }
                """);
            var after = await MetricsAsync(cdp);
            await page.Mouse.UpAsync();
            var (draws, drawMs, drawMax, frames, elapsedMs) = (stats[0], stats[1], stats[2], stats[3], stats[4]);
            if (draws < 2)
            {
                throw new BenchException($"the view drew {draws} frame(s) while the mouse panned it: the pan did not reach it");
            }
            // Main-thread time per draw: script alone, and every task (script, style, layout, paint): when both stay far
            // below the time between frames, what holds frames back is outside the page's main thread (raster,
            // compositing, a CPU shared with other processes).
            double Delta(string metric) => (after.GetValueOrDefault(metric) - before.GetValueOrDefault(metric)) * 1000 / draws;
            return new PanFigures(draws * 1000 / elapsedMs, frames * 1000 / elapsedMs, drawMs / draws, drawMax, Delta("ScriptDuration"),
                Delta("TaskDuration"), moves);
        }

        var driven = await MeasureAsync(async () =>
        {
            // 150 px right and back in steps of 5 px the Playwright driver sends one after the other.
            var calls = 0;
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
            {
                ct.ThrowIfCancellationRequested();
                await page.Mouse.MoveAsync((float)(x0 + (calls % 2 == 0 ? 150 : 0)), (float)(y0 + calls % 7 * 3), new() { Steps = 30 });
                calls++;
            }
            return calls * 30;
        });
        // The same path, a move every 4 ms (a 250 Hz mouse), dispatched in the page as the browser dispatches input:
        // on the main thread, between frames, so a slow draw delays the moves as it would a hand's.
        var inPage = await MeasureAsync(() => page.EvaluateAsync<int>("""
            ([x0, y0, ms]) => new Promise(resolve => {
              let n = 0;
              const started = performance.now();
              const move = () => {
                const phase = n % 60;
                const dx = phase < 30 ? phase * 5 : (60 - phase) * 5;
                window.dispatchEvent(new MouseEvent('mousemove', { clientX: x0 + dx, clientY: y0 + n % 7, bubbles: true, view: window }));
                n++;
                if (performance.now() - started < ms) setTimeout(move, 4); else resolve(n);
              };
              move();
            })
            """, new[] { x0, y0, seconds * 1000.0 }));
        return (driven, inPage);
    }

    private static async Task<Dictionary<string, double>> MetricsAsync(ICDPSession cdp)
    {
        var reply = await cdp.SendAsync("Performance.getMetrics");
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        if (reply?.TryGetProperty("metrics", out var list) == true)
        {
            foreach (var metric in list.EnumerateArray())
            {
                metrics[metric.GetProperty("name").GetString()!] = metric.GetProperty("value").GetDouble();
            }
        }
        return metrics;
    }

    private static async Task DesignerAsync(IBrowserContext context, IPage page, int workflowId, int nodeCount)
    {
        // Marks the first animation frame at which every node is in the DOM, from the page's own start.
        await context.AddInitScriptAsync($$"""
            (() => {
              const poll = () => {
                if (document.querySelectorAll('[data-node]').length >= {{nodeCount}}) performance.mark('enms:designer-nodes');
                else requestAnimationFrame(poll);
              };
              requestAnimationFrame(poll);
            })();
            """);
        var path = $"/workflows/{workflowId}/designer";
        async Task OpenAsync()
        {
            await page.GotoAsync("/");
            await page.GotoAsync(path);
            await page.WaitForFunctionAsync("() => performance.getEntriesByName('enms:designer-nodes').length > 0", null, new() { PollingInterval = 50 });
        }
        await OpenAsync(); // warm-up
        await OpenAsync();
        var openMs = await page.EvaluateAsync<double>("performance.getEntriesByName('enms:designer-nodes')[0].startTime");

        // Drag a node by its title, 10 moves of (12, 8) px as a hand would, and watch where the page draws it.
        var name = UiSeed.NodeName(1);
        var title = page.Locator($"[data-node='{name}'] .enms-node-title");
        var box = await title.BoundingBoxAsync() ?? throw new BenchException($"node '{name}' is not visible");
        await page.EvaluateAsync("""
            (name) => {
              const log = window.enmsDrag = { down: 0, positions: [], running: true };
              const where = () => { const r = document.querySelector(`[data-node="${name}"]`).getBoundingClientRect(); return [r.x, r.y]; };
              document.addEventListener('pointerdown', () => { log.down = performance.now(); }, { capture: true, once: true });
              let last = where();
              log.positions.push([performance.now(), ...last]);
              const poll = () => {
                if (!log.running) return;
                const p = where();
                if (p[0] !== last[0] || p[1] !== last[1]) { log.positions.push([performance.now(), ...p]); last = p; }
                requestAnimationFrame(poll);
              };
              requestAnimationFrame(poll);
            }
            """, name);
        var (x, y) = (box.X + box.Width / 2, box.Y + box.Height / 2);
        await page.Mouse.MoveAsync(x, y);
        await page.Mouse.DownAsync();
        var sendClock = Stopwatch.StartNew();
        await page.Mouse.MoveAsync(x + 120, y + 80, new() { Steps = 10 });
        await page.Mouse.UpAsync();
        var sendMs = sendClock.Elapsed.TotalMilliseconds;
        // Settled: no change for a second.
        double[][] positions;
        while (true)
        {
            await Task.Delay(500);
            positions = await page.EvaluateAsync<double[][]>("window.enmsDrag.positions");
            var now = await page.EvaluateAsync<double>("performance.now()");
            if (positions.Length > 1 && now - positions[^1][0] > 1000)
            {
                break;
            }
        }
        var down = await page.EvaluateAsync<double>("window.enmsDrag.down");
        await page.EvaluateAsync("window.enmsDrag.running = false");
        var (first, final) = (positions[0], positions[^1]);
        var moved = double.Hypot(final[1] - first[1], final[2] - first[2]);
        if (down == 0 || moved < 20)
        {
            throw new BenchException($"the drag did not move node '{name}' ({moved:0} px)");
        }
        var firstMove = positions.Skip(1).First();
        Measure.Report("ui", ("view", "designer"), ("nodes", await page.Locator("[data-node]").CountAsync()),
            ("links", await page.Locator("g.diagram-link").CountAsync()), ("open_ms", openMs), ("drag_ms", final[0] - down),
            ("drag_first_ms", firstMove[0] - down), ("drag_updates", positions.Length - 1), ("drag_send_ms", sendMs),
            ("moved_px", Math.Round(moved, 1)), ("gpu", "none"));
    }
}
