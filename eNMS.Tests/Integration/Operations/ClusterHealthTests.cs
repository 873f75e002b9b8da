using System.Net;
using eNMS.Tests.TestSupport;

namespace eNMS.Tests.Integration.Operations;

/// <summary>Two node processes started at once on one PostgreSQL database behind nginx with deploy/nginx.conf (what
/// docker compose runs): both become ready, nginx answers /health/ready from whichever node is up, and a node lets a
/// scraper on a listed network read /metrics without a token.</summary>
[Collection(PostgresTests.Name)]
public sealed class ClusterHealthTests(PostgresServer postgres)
{
    [RequiresFact("nginx")]
    public async Task Nodes_started_together_become_ready_behind_nginx_and_a_listed_scraper_reads_metrics()
    {
        var database = postgres.NewDatabase();
        var keys = Directory.CreateTempSubdirectory("enms-keys-").FullName;
        var settings = new Dictionary<string, string>
        {
            ["DataProtection__KeyDirectory"] = keys,
            ["Metrics__AllowedNetworks__0"] = "127.0.0.0/8",
        };
        try
        {
            await using var nodeA = new AppProcess("node-a", database, Directory.CreateTempSubdirectory("enms-a-").FullName, "cluster-admin-password", settings: settings);
            await using var nodeB = new AppProcess("node-b", database, Directory.CreateTempSubdirectory("enms-b-").FullName, "cluster-admin-password", settings: settings);
            await Task.WhenAll(nodeA.WaitReadyAsync(TimeSpan.FromMinutes(5)), nodeB.WaitReadyAsync(TimeSpan.FromMinutes(5)));
            await using var nginx = new NginxProcess(nodeA, nodeB);
            using var http = new HttpClient();

            using var hang = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            foreach (var node in new[] { nodeA, nodeB })
            {
                // Ready once the node's scheduler has started, a moment after it first answers.
                while ((await http.GetAsync($"{node.BaseUrl}/health/ready", hang.Token)).StatusCode != HttpStatusCode.OK)
                {
                    await Task.Delay(100, hang.Token);
                }
                var scrape = await http.GetAsync($"{node.BaseUrl}/metrics", hang.Token);
                Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
                Assert.Contains("enms_runs_queued", await scrape.Content.ReadAsStringAsync(hang.Token), StringComparison.Ordinal);
                Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync($"{node.BaseUrl}/api/devices", hang.Token)).StatusCode);
            }

            var throughNginx = await http.GetAsync($"{nginx.BaseUrl}/health/ready", hang.Token);
            Assert.Equal(HttpStatusCode.OK, throughNginx.StatusCode);
            Assert.Equal("Healthy", await throughNginx.Content.ReadAsStringAsync(hang.Token));
            Assert.False(throughNginx.Headers.Contains("Set-Cookie"), "a probe gets no affinity cookie");

            await nodeA.KillAsync();
            for (var i = 0; i < 4; i++)
            {
                var survivor = await http.GetAsync($"{nginx.BaseUrl}/health/ready", hang.Token);
                Assert.True(survivor.StatusCode == HttpStatusCode.OK, $"{survivor.StatusCode}\n{nginx.ErrorLog}");
            }
        }
        finally
        {
            Directory.Delete(keys, recursive: true);
        }
    }
}
