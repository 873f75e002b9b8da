using System.Text;
using System.Text.Json;
using eNMS.Core.Automation.Execution;

namespace eNMS.Core.Automation.Handlers;

public sealed class RestCallParameters
{
    public string Method { get; set; } = "GET";
    /// <summary>A Liquid template, e.g. https://ipam.example.net/api/devices/{{ device.name }}.</summary>
    public string Url { get; set; } = "";
    public string Body { get; set; } = "";
    public string ContentType { get; set; } = "application/json";
    public Dictionary<string, string> Headers { get; set; } = [];
    /// <summary>Status codes counted as success; empty means any 2xx.</summary>
    public List<int> SuccessStatuses { get; set; } = [];
}

/// <summary><c>rest_call</c>: an HTTP request with templated URL, headers and body; a JSON reply becomes the
/// result's data for later nodes. Outbound destinations are guarded (see <see cref="OutboundHttp"/>).</summary>
public sealed class RestCallHandler(OutboundHttp http) : ServiceHandler<RestCallParameters>
{
    public override string Kind => "rest_call";

    public override string Description => "Calls an HTTP API (IPAM, ticketing, monitoring) and keeps the reply; allowed hosts are set by the administrator.";

    protected override RestCallParameters ExampleParameters => new() { Url = "https://ipam.example.net/api/devices/{{ device.name }}" };

    protected override string? Validate(RestCallParameters p) =>
        string.IsNullOrWhiteSpace(p.Url) ? "Give the URL to call."
            : Uri.TryCreate(p.Url, UriKind.Absolute, out var url) && url.UserInfo.Length > 0 ? "The URL holds credentials: put them in an Authorization header instead."
            : !HttpMethods.Contains(p.Method.ToUpperInvariant()) ? $"'{p.Method}' is not an HTTP method eNMS sends."
            : Templates.TemplateRenderer.Check(p.Url) ?? Templates.TemplateRenderer.Check(p.Body);

    private static readonly string[] HttpMethods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"];

    protected override async Task<ServiceResult> ExecuteAsync(ServiceContext context, RestCallParameters p, CancellationToken ct)
    {
        var url = await context.RenderAsync(p.Url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return ServiceResult.Fail("The rendered URL is not an absolute URL.");
        }
        var body = p.Body.Length == 0 ? null : await context.RenderAsync(p.Body);
        var headers = new Dictionary<string, string>();
        foreach (var (name, value) in p.Headers)
        {
            headers[name] = await context.RenderAsync(value);
        }
        try
        {
            using var response = await http.SendAsync(uri, target =>
            {
                var request = new HttpRequestMessage(new HttpMethod(p.Method.ToUpperInvariant()), target);
                if (body is not null)
                {
                    request.Content = new StringContent(body, Encoding.UTF8, p.ContentType);
                }
                foreach (var (name, value) in headers)
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }
                return request;
            }, ct);
            var (text, cut) = await http.ReadReplyAsync(response, ct);
            var status = (int)response.StatusCode;
            object? data = null;
            try
            {
                data = text.Length > 0 && !cut ? JsonDocument.Parse(text).RootElement.Clone() : null;
            }
            catch (JsonException)
            {
                // Not JSON: the body stays in the output only.
            }
            if (cut)
            {
                return ServiceResult.Fail($"{uri} answered more than {http.MaxReplyBytes:N0} bytes (Automation:Outbound:MaxReplyBytes): the reply was cut",
                    $"{p.Method.ToUpperInvariant()} {uri} → {status} {response.ReasonPhrase}\n{text}");
            }
            var ok = p.SuccessStatuses.Count > 0 ? p.SuccessStatuses.Contains(status) : status is >= 200 and < 300;
            var output = $"{p.Method.ToUpperInvariant()} {uri} → {status} {response.ReasonPhrase}\n{text}";
            return ok ? ServiceResult.Ok(output, data: data) : ServiceResult.Fail($"{uri} answered {status} {response.ReasonPhrase}", output, data);
        }
        catch (HttpRequestException e)
        {
            return ServiceResult.Fail($"{OutboundHttp.Mask(uri)}: {e.Message}");
        }
    }
}
