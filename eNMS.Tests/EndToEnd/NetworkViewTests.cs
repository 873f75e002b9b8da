using System.Text.Json;
using eNMS.Core.Automation;
using eNMS.Core.Automation.Workflows;
using eNMS.Core.Data;
using eNMS.Core.Inventory;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace eNMS.Tests.EndToEnd;

/// <summary>The world map, the topology and the dashboard in Chromium. Services used here are waits: they dial nothing.</summary>
[Collection(Browser.Collection)]
public sealed class NetworkViewTests
{
    private const string ViewHost = "[data-testid=network-view]";

    /// <summary>When a wait for one of the app's signals counts as a hang. Not a time anything is expected to take: the
    /// waits end on the signal, and a loaded machine only makes them longer.</summary>
    private const int HangMilliseconds = 300_000;

    [ChromiumFact]
    public async Task Select_devices_on_the_map_with_a_box_and_run_a_workflow_on_them_whose_nodes_light_up()
    {
        await using var app = StartApp();
        var (paris, lyon, sydney) = (Device("paris", 48.85, 2.35), Device("lyon", 45.76, 4.83), Device("sydney", -33.87, 151.21));
        var (first, second) = (Wait("short pause", 0.2), Wait("second pause", 0));
        await SeedAsync(app, db =>
        {
            db.Devices.AddRange(paris, lyon, sydney);
            db.Links.Add(new Link { Name = "paris-lyon", Source = paris, Destination = lyon });
            db.Services.AddRange(first, second);
        });
        await SeedAsync(app, db => db.Services.Add(new Service
        {
            Name = "map workflow",
            Kind = "workflow",
            TargetMode = TargetMode.PerDevice,
            Graph = new WorkflowGraph
            {
                Start = "a",
                Nodes = [new() { Id = "a", ServiceId = first.Id, X = 40, Y = 40 }, new() { Id = "b", ServiceId = second.Id, X = 320, Y = 40 }],
                Edges = [new() { From = "a", To = "b", Kind = EdgeKind.Success }],
            },
        }));
        await using var browser = await BrowserSession.LaunchAsync();
        var page = await browser.NewPageAsync(app);

        await Browser.StepsAsync(page, "map-box-run", async () =>
        {
            var cspViolations = await Browser.SignInAtAsync(page, "/map");
            await Expect(page.Locator(ViewHost)).ToHaveAttributeAsync("data-ready", "true");
            await Expect(page.GetByTestId("view-summary")).ToHaveTextAsync("3 devices, 1 links");
            var (a, b, c) = (await ScreenPositionAsync(page, paris.Id), await ScreenPositionAsync(page, lyon.Id), await ScreenPositionAsync(page, sydney.Id));
            var (left, top) = (Math.Min(a.X, b.X) - 20, Math.Min(a.Y, b.Y) - 20);
            var (right, bottom) = (Math.Max(a.X, b.X) + 20, Math.Max(a.Y, b.Y) + 20);
            Assert.False(c.X >= left && c.X <= right && c.Y >= top && c.Y <= bottom, "sydney must lie outside the box drawn around paris and lyon");

            await page.Keyboard.DownAsync("Shift");
            await page.Mouse.MoveAsync(left, top);
            await page.Mouse.DownAsync();
            await page.Mouse.MoveAsync(right, bottom, new() { Steps = 8 });
            await page.Mouse.UpAsync();
            await page.Keyboard.UpAsync("Shift");
            await Expect(page.GetByTestId("selection-count")).ToHaveTextAsync("2 devices selected");
            await Expect(page.GetByTestId("selected-device")).ToHaveTextAsync(["lyon", "paris"]);

            await page.GetByTestId("selection-service").ClickAsync();
            await page.Locator(".mud-popover-open").GetByText("map workflow (workflow)").ClickAsync();
            await page.GetByTestId("run-selection").ClickAsync();
            await Expect(page.Locator(".mud-dialog [data-testid=run-device-chip]")).ToHaveTextAsync(["lyon", "paris"]);
            await page.GetByTestId("start-run").ClickAsync();
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/runs/\\d+$"));
            await Expect(page.GetByTestId("run-status")).ToHaveTextAsync("Completed");
            await Expect(page.GetByTestId("result-table")).ToContainTextAsync("paris");
            await Expect(page.GetByTestId("result-table")).ToContainTextAsync("lyon");
            await Expect(page.GetByTestId("result-table")).Not.ToContainTextAsync("sydney");
            await Expect(page.GetByTestId("run-workflow-canvas")).ToBeVisibleAsync();
            await Expect(page.Locator("[data-node='short pause']")).ToHaveAttributeAsync("data-state", "success");
            await Expect(page.Locator("[data-node='second pause']")).ToHaveAttributeAsync("data-state", "success");
            Assert.Empty(cspViolations);
        });
    }

    /// <summary>Issue 16 defect 9: on a machine at load 9 this test saw an empty canvas after 60 s. Reproduced here with
    /// CPU hogs: the box drag was sent before the "box" tool had reached the canvas (a server round trip), so it was a
    /// pan that dragged the map away, and nothing was selected. (The map is also framed again when its host gets its
    /// size, in case it was framed before layout.) Every wait now ends on a
    /// signal the app gives (data-ready; data-on-screen, the devices the canvas shows after the frame that placed them;
    /// data-tool; the selection count); <see cref="HangMilliseconds"/> only decides when a wait has become a hang.
    /// Proved with two CPU hogs beside it (README, "Tests on a loaded machine").</summary>
    [ChromiumFact]
    public async Task The_map_draws_ten_thousand_devices_and_a_box_over_all_of_them_selects_them_all()
    {
        await using var app = StartApp();
        await SeedAsync(app, db => AddGrid(db, 10_000, withCoordinates: true));
        await using var browser = await BrowserSession.LaunchAsync(HangMilliseconds);
        var page = await browser.NewPageAsync(app, timeoutMilliseconds: HangMilliseconds);
        var errors = CollectErrors(page);
        var untilReady = new LocatorAssertionsToHaveAttributeOptions { Timeout = HangMilliseconds };

        await Browser.StepsAsync(page, "map-10000", async () =>
        {
            await Browser.SignInAtAsync(page, "/map", HangMilliseconds);
            await Expect(page.Locator(ViewHost)).ToHaveAttributeAsync("data-ready", "true", untilReady);
            await Expect(page.Locator(ViewHost)).ToHaveAttributeAsync("data-devices", "10000");
            await Expect(page.Locator(ViewHost)).ToHaveAttributeAsync("data-links", "9999");
            await Expect(page.Locator(ViewHost)).ToHaveAttributeAsync("data-on-screen", "10000", untilReady);
            // Zoom in and out over the canvas: clustering and the detailed base map are recomputed on the way.
            var canvas = await page.GetByTestId("network-canvas").BoundingBoxAsync();
            await page.Mouse.MoveAsync(canvas!.X + canvas.Width / 2, canvas.Y + canvas.Height / 2);
            for (var i = 0; i < 6; i++)
            {
                await page.Mouse.WheelAsync(0, -400);
            }
            for (var i = 0; i < 6; i++)
            {
                await page.Mouse.WheelAsync(0, 400);
            }
            // Back out: the box is drawn once the map says every device is on screen again, however late its frame.
            await Expect(page.Locator(ViewHost)).ToHaveAttributeAsync("data-on-screen", "10000", untilReady);
            await page.GetByTestId("tool-box").ClickAsync();
            await Expect(page.Locator(ViewHost)).ToHaveAttributeAsync("data-tool", "box", untilReady);
            await page.Mouse.MoveAsync(canvas.X + 2, canvas.Y + 2);
            await page.Mouse.DownAsync();
            await page.Mouse.MoveAsync(canvas.X + canvas.Width - 2, canvas.Y + canvas.Height - 2, new() { Steps = 5 });
            await page.Mouse.UpAsync();
            // Ten thousand ids reach the server in several messages (Blazor caps each at 32 kB).
            await Expect(page.GetByTestId("selection-count")).ToHaveTextAsync("10000 devices selected", new() { Timeout = HangMilliseconds });
            await Expect(page.GetByTestId("selection-more")).ToHaveTextAsync("and 9800 more");
            Assert.Empty(errors);
        });
    }

    [ChromiumFact]
    public async Task The_topology_lays_out_five_thousand_devices_and_ten_thousand_links_and_filters_by_pool()
    {
        await using var app = StartApp();
        await SeedAsync(app, db =>
        {
            var devices = AddGrid(db, 5_000, withCoordinates: false);
            var random = new Random(42);
            for (var i = 0; i < 5_001; i++)
            {
                db.Links.Add(new Link { Name = $"extra-{i}", Source = devices[random.Next(devices.Count)], Destination = devices[random.Next(devices.Count)] });
            }
            db.Pools.Add(new Pool { Name = "first ten", Mode = PoolMode.Manual, Devices = devices.Take(10).ToList() });
        });
        await using var browser = await BrowserSession.LaunchAsync();
        var page = await browser.NewPageAsync(app);
        var errors = CollectErrors(page);

        await Browser.StepsAsync(page, "topology-5000", async () =>
        {
            await Browser.SignInAtAsync(page, "/topology");
            await Expect(page.Locator(ViewHost)).ToHaveAttributeAsync("data-ready", "true", new() { Timeout = 60_000 });
            await Expect(page.Locator(ViewHost)).ToHaveAttributeAsync("data-links", "10000");
            await Expect(page.Locator(ViewHost)).ToHaveAttributeAsync("data-layout", "done", new() { Timeout = 180_000 });

            await page.GetByTestId("pool-pick").ClickAsync();
            await page.Locator(".mud-popover-open").GetByText("first ten").ClickAsync();
            await page.GetByTestId("filter-pool").ClickAsync();
            await Expect(page.Locator(ViewHost)).ToHaveAttributeAsync("data-layout", "done", new() { Timeout = 60_000 });
            await page.GetByTestId("select-pool").ClickAsync();
            await Expect(page.GetByTestId("selection-count")).ToHaveTextAsync("10 devices selected");

            // Click one device: it alone is selected; shift-click another adds it.
            var first = await ScreenPositionAsync(page, await DeviceIdAsync(app, "d00000"));
            var second = await ScreenPositionAsync(page, await DeviceIdAsync(app, "d00001"));
            await page.Mouse.ClickAsync(first.X, first.Y);
            await Expect(page.GetByTestId("selected-device")).ToHaveTextAsync(["d00000"]);
            await page.Keyboard.DownAsync("Shift");
            await page.Mouse.ClickAsync(second.X, second.Y);
            await page.Keyboard.UpAsync("Shift");
            await Expect(page.GetByTestId("selected-device")).ToHaveTextAsync(["d00000", "d00001"]);

            // A lasso drawn around the whole view takes the devices shown (the pool's ten), not the hidden ones.
            await page.GetByTestId("tool-lasso").ClickAsync();
            await Expect(page.Locator(ViewHost)).ToHaveAttributeAsync("data-tool", "lasso");
            var canvas = await page.GetByTestId("network-canvas").BoundingBoxAsync();
            var (left, top, right, bottom) = (canvas!.X + 3, canvas.Y + 3, canvas.X + canvas.Width - 3, canvas.Y + canvas.Height - 3);
            await page.Mouse.MoveAsync(left, top);
            await page.Mouse.DownAsync();
            foreach (var (x, y) in new[] { (right, top), (right, bottom), (left, bottom), (left, top + 10) })
            {
                await page.Mouse.MoveAsync(x, y, new() { Steps = 4 });
            }
            await page.Mouse.UpAsync();
            await Expect(page.GetByTestId("selection-count")).ToHaveTextAsync("10 devices selected");
            Assert.Empty(errors);
        });
    }

    [ChromiumFact]
    public async Task The_dashboard_in_one_browser_follows_a_run_started_in_another()
    {
        await using var app = StartApp();
        await SeedAsync(app, db =>
        {
            db.Devices.AddRange(Device("r1", 1, 1), Device("r2", 2, 2), Device("r3", 3, 3));
            var wait = Wait("slow pause", 1.5);
            wait.MaxParallelDevices = 1;
            db.Services.Add(wait);
        });
        await using var browser = await BrowserSession.LaunchAsync();
        await using var watcherContext = await browser.NewContextAsync(new() { BaseURL = app.BaseUrl });
        await using var runnerContext = await browser.NewContextAsync(new() { BaseURL = app.BaseUrl });
        var watcher = await watcherContext.NewPageAsync();
        var runner = await runnerContext.NewPageAsync();

        await Browser.StepsAsync(watcher, "dashboard-live", async () =>
        {
            await Browser.SignInAtAsync(watcher, "/");
            await Expect(watcher.GetByTestId("no-active-runs")).ToBeVisibleAsync();
            await Expect(watcher.GetByTestId("count-services")).ToHaveTextAsync("1");

            await Browser.SignInAtAsync(runner, "/map");
            await Expect(runner.Locator(ViewHost)).ToHaveAttributeAsync("data-ready", "true");
            await runner.GetByTestId("tool-box").ClickAsync();
            await Expect(runner.Locator(ViewHost)).ToHaveAttributeAsync("data-tool", "box");
            var canvas = await runner.GetByTestId("network-canvas").BoundingBoxAsync();
            await runner.Mouse.MoveAsync(canvas!.X + 2, canvas.Y + 2);
            await runner.Mouse.DownAsync();
            await runner.Mouse.MoveAsync(canvas.X + canvas.Width - 2, canvas.Y + canvas.Height - 2, new() { Steps = 5 });
            await runner.Mouse.UpAsync();
            await Expect(runner.GetByTestId("selection-count")).ToHaveTextAsync("3 devices selected");
            await runner.GetByTestId("selection-service").ClickAsync();
            await runner.Locator(".mud-popover-open").GetByText("slow pause (wait)").ClickAsync();
            await runner.GetByTestId("run-selection").ClickAsync();
            await runner.GetByTestId("start-run").ClickAsync();
            await Expect(runner).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/runs/\\d+$"));
            var runId = runner.Url[(runner.Url.LastIndexOf('/') + 1)..];

            // The watcher never reloads: the run appears, its progress bar advances, then it moves to the recent runs.
            var active = watcher.Locator($"[data-testid=active-run][data-run='{runId}']");
            await Expect(active).ToBeVisibleAsync();
            await Expect(active.GetByTestId("active-run-progress")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[12] / 3$"));
            await Expect(watcher.Locator($"[data-testid=recent-run][data-run='{runId}']")).ToContainTextAsync("Completed", new() { Timeout = 30_000 });
            await Expect(active).ToHaveCountAsync(0);
            await Expect(runner.GetByTestId("run-status")).ToHaveTextAsync("Completed");
        });
    }

    [ChromiumFact]
    public async Task Devices_show_their_icon_by_type_links_their_colour_and_both_views_have_a_legend_of_them()
    {
        await using var app = StartApp();
        var firewall = new Device { Name = "fw", Address = "127.0.0.1", Platform = "cisco_asa", Latitude = 48.85, Longitude = 2.35 };
        var router = new Device { Name = "r1", Address = "127.0.0.1", Platform = "frr", Latitude = 40.71, Longitude = -74.0 };
        // An icon no one knows, on a device with nothing else to go by: the "other" icon.
        var odd = new Device { Name = "odd", Address = "127.0.0.1", Icon = "spaceship", Latitude = -33.87, Longitude = 151.21 };
        await SeedAsync(app, db =>
        {
            db.Devices.AddRange(firewall, router, odd);
            db.Links.Add(new Link { Name = "fw-r1", Source = firewall, Destination = router, Color = "#d4222a", Subtype = "optical fiber 100G" });
            db.Links.Add(new Link { Name = "r1-odd", Source = router, Destination = odd });
        });
        await using var browser = await BrowserSession.LaunchAsync();
        var page = await browser.NewPageAsync(app);
        var errors = CollectErrors(page);

        await Browser.StepsAsync(page, "icons-colours-legend", async () =>
        {
            var cspViolations = await Browser.SignInAtAsync(page, "/topology");
            foreach (var view in new[] { "/topology", "/map" })
            {
                if (view != "/topology")
                {
                    await page.GotoAsync(view);
                    await Expect(page.GetByTestId("interactive")).ToBeAttachedAsync(new() { Timeout = 60_000 });
                }
                await Expect(page.Locator(ViewHost)).ToHaveAttributeAsync("data-on-screen", "3", new() { Timeout = 60_000 });
                await page.WaitForFunctionAsync("([host, id]) => document.querySelector(host).enmsView.drawnIcon(id) === 'firewall'",
                    new object[] { ViewHost, firewall.Id });
                Assert.Equal(["firewall", "router", "unknown"], await Task.WhenAll(new[] { firewall, router, odd }.Select(d =>
                    page.Locator(ViewHost).EvaluateAsync<string>("(host, id) => host.enmsView.drawnIcon(id)", d.Id))));
                // The coloured link in its colour, the uncoloured one in the theme's.
                await Expect(page.Locator(ViewHost)).ToHaveAttributeAsync("data-link-colors", "#d4222a theme");
                await Expect(page.GetByTestId("legend-icon")).ToHaveCountAsync(3);
                await Expect(page.Locator("[data-testid=legend-icon][data-icon=firewall]")).ToContainTextAsync("Firewall (1)");
                await Expect(page.Locator("[data-testid=legend-link][data-color='#d4222a']")).ToContainTextAsync("optical fiber 100G (1 link)");
            }
            Assert.Empty(errors);
            Assert.Empty(cspViolations);
        });
    }

    [ChromiumFact]
    public async Task Zoomed_in_links_show_their_interface_names_on_the_topology_and_on_the_map_and_zoomed_out_they_do_not()
    {
        await using var app = StartApp();
        var paris = Device("paris", 48.85, 2.35);
        var london = Device("london", 51.51, -0.13);
        var newYork = Device("new-york", 40.71, -74.0);
        await SeedAsync(app, db =>
        {
            db.Devices.AddRange(paris, london, newYork);
            db.Links.Add(new Link { Name = "paris-london", Source = paris, Destination = london, SourceInterface = "Gi0/1", DestinationInterface = "xe-0/0/3" });
            // A link without interface names has nothing to show, however close.
            db.Links.Add(new Link { Name = "london-new-york", Source = london, Destination = newYork });
        });
        await using var browser = await BrowserSession.LaunchAsync();
        var page = await browser.NewPageAsync(app);
        var errors = CollectErrors(page);

        await Browser.StepsAsync(page, "interface-names", async () =>
        {
            await Browser.SignInAtAsync(page, "/topology");
            foreach (var view in new[] { "/topology", "/map" })
            {
                if (view != "/topology")
                {
                    await page.GotoAsync(view);
                    await Expect(page.GetByTestId("interactive")).ToBeAttachedAsync(new() { Timeout = 60_000 });
                }
                else
                {
                    // The force layout moves the devices until it settles: frame them once they stay put.
                    await Expect(page.Locator(ViewHost)).ToHaveAttributeAsync("data-layout", "done", new() { Timeout = 60_000 });
                }
                await Expect(page.Locator(ViewHost)).ToHaveAttributeAsync("data-on-screen", "3", new() { Timeout = 60_000 });

                // Paris and London framed: their link is long on screen and both are drawn on their own.
                await page.Locator(ViewHost).EvaluateAsync("""
                    (host, ids) => {
                      const v = host.enmsView;
                      const [a, b] = ids.map(id => v.scene.position(v.graph.indexOf.get(id)));
                      v.userMoved = true;
                      v.fit([[Math.min(a[0], b[0]), Math.min(a[1], b[1])], [Math.max(a[0], b[0]), Math.max(a[1], b[1])]]);
                    }
                    """, new[] { paris.Id, london.Id });
                await Expect(page.Locator(ViewHost)).ToHaveAttributeAsync("data-interface-labels", "1");
                Assert.Equal(["Gi0/1", "xe-0/0/3"], await page.Locator(ViewHost).EvaluateAsync<string[]>("host => host.enmsView.interfaceNames"));

                // The whole world (or a topology far away): no room for names (on the map Paris and London share a marker).
                await page.Locator(ViewHost).EvaluateAsync("host => host.enmsView.fit(host.enmsView.scene.worldBounds?.() ?? [[-3000, -3000], [3000, 3000]])");
                await Expect(page.Locator(ViewHost)).ToHaveAttributeAsync("data-interface-labels", "0");
            }
            Assert.Empty(errors);
        });
    }

    private static AppServer StartApp()
    {
        Assert.True(File.Exists(ChromiumFactAttribute.ChromiumPath),
            $"Debian chromium is required at {ChromiumFactAttribute.ChromiumPath} (apt-get install chromium), or set ENMS_TEST_SKIP=chromium to skip.");
        var app = new AppServer();
        app.StartServer();
        return app;
    }

    private static List<string> CollectErrors(IPage page)
    {
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        return errors;
    }

    private static Device Device(string name, double latitude, double longitude) =>
        new() { Name = name, Address = "127.0.0.1", Platform = "linux", Latitude = latitude, Longitude = longitude };

    private static Service Wait(string name, double seconds) =>
        new() { Name = name, Kind = "wait", Parameters = JsonSerializer.Serialize(new { seconds }), TargetMode = TargetMode.PerDevice };

    /// <summary>Devices d00000… spread over the world (or without coordinates), each linked to the next.</summary>
    private static List<Device> AddGrid(EnmsDbContext db, int count, bool withCoordinates)
    {
        var random = new Random(7);
        var devices = Enumerable.Range(0, count).Select(i => new Device
        {
            Name = $"d{i:D5}",
            Address = "127.0.0.1",
            Latitude = withCoordinates ? random.NextDouble() * 120 - 55 : null,
            Longitude = withCoordinates ? random.NextDouble() * 340 - 170 : null,
        }).ToList();
        db.Devices.AddRange(devices);
        for (var i = 1; i < count; i++)
        {
            db.Links.Add(new Link { Name = $"l{i}", Source = devices[i - 1], Destination = devices[i] });
        }
        return devices;
    }

    private static async Task SeedAsync(AppServer app, Action<EnmsDbContext> add)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        add(db);
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync();
    }

    private static async Task<int> DeviceIdAsync(AppServer app, string name)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync();
        return await db.Devices.Where(d => d.Name == name).Select(d => d.Id).SingleAsync();
    }

    private static async Task<(float X, float Y)> ScreenPositionAsync(IPage page, int deviceId)
    {
        var position = await page.Locator(ViewHost).EvaluateAsync<JsonElement>("(host, id) => host.enmsView.screenPosition(id)", deviceId);
        Assert.True(position.ValueKind == JsonValueKind.Object, $"device {deviceId} is not drawn");
        return (position.GetProperty("x").GetSingle(), position.GetProperty("y").GetSingle());
    }
}
