using System.Net;
using System.Net.Mail;
using System.Text;
using eNMS.Core.Automation.Execution;
using Microsoft.Extensions.Options;

namespace eNMS.Core.Automation.Handlers;

/// <summary>Bound from "Automation:Smtp".</summary>
public sealed class SmtpOptions
{
    public string Host { get; set; } = "";
    public int Port { get; set; } = 25;
    public bool EnableSsl { get; set; }
    public string From { get; set; } = "enms@localhost";
    public string Username { get; set; } = "";
    public string Password { get; set; } = "";
}

public enum NotificationChannel
{
    Webhook,
    Mail,
}

public sealed class NotificationParameters
{
    public NotificationChannel Channel { get; set; }
    /// <summary>Webhook URL (templated) or mail recipients, comma-separated.</summary>
    public string To { get; set; } = "";
    public string Subject { get; set; } = "eNMS: {{ run.id }}";
    /// <summary>The message, a Liquid template with access to the run's results.</summary>
    public string Body { get; set; } = "";
}

/// <summary><c>notification</c>: a webhook POST (JSON) or an SMTP mail, usually once per run at a workflow's end.</summary>
public sealed class NotificationHandler(OutboundHttp http, IOptionsMonitor<SmtpOptions> smtp) : ServiceHandler<NotificationParameters>
{
    public override string Kind => "notification";

    public override string Description => "Posts a message to a webhook or sends a mail, with the run's results in a Liquid template.";

    protected override NotificationParameters ExampleParameters => new() { Channel = NotificationChannel.Webhook, To = "https://chat.example.net/hooks/network", Body = "Run {{ run.id }} finished" };

    protected override string? Validate(NotificationParameters p) =>
        string.IsNullOrWhiteSpace(p.To) ? "Give a webhook URL or mail recipients." : Templates.TemplateRenderer.Check(p.Body);

    protected override async Task<ServiceResult> ExecuteAsync(ServiceContext context, NotificationParameters p, CancellationToken ct)
    {
        var subject = await context.RenderAsync(p.Subject);
        var body = context.Redact(await context.RenderAsync(p.Body));
        return await SendAsync(http, smtp.CurrentValue, p.Channel, p.Channel == NotificationChannel.Webhook ? await context.RenderAsync(p.To) : p.To,
            subject, body, ct);
    }

    /// <summary>A webhook POST to <paramref name="to"/> or a mail to its comma-separated recipients (approval gates
    /// notify through this too).</summary>
    public static Task<ServiceResult> SendAsync(OutboundHttp http, SmtpOptions smtp, NotificationChannel channel, string to, string subject, string body,
        CancellationToken ct) =>
        channel == NotificationChannel.Webhook ? PostAsync(http, to, subject, body, ct) : MailAsync(smtp, to, subject, body, ct);

    private static async Task<ServiceResult> PostAsync(OutboundHttp http, string url, string subject, string body, CancellationToken ct)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return ServiceResult.Fail("The webhook URL is not an absolute URL.");
        }
        var json = System.Text.Json.JsonSerializer.Serialize(new { subject, text = body });
        try
        {
            using var response = await http.SendAsync(uri, target => new HttpRequestMessage(HttpMethod.Post, target)
            {
                Content = new StringContent(json, Encoding.UTF8, "application/json"),
            }, ct);
            return response.IsSuccessStatusCode
                ? ServiceResult.Ok($"Posted to {uri}: {(int)response.StatusCode}")
                : ServiceResult.Fail($"{uri} answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }
        catch (HttpRequestException e)
        {
            return ServiceResult.Fail($"{OutboundHttp.Mask(uri)}: {e.Message}");
        }
    }

    private static async Task<ServiceResult> MailAsync(SmtpOptions settings, string to, string subject, string body, CancellationToken ct)
    {
        if (settings.Host.Length == 0)
        {
            return ServiceResult.Fail("No SMTP server is configured (Automation:Smtp:Host).");
        }
        using var client = new SmtpClient(settings.Host, settings.Port) { EnableSsl = settings.EnableSsl };
        if (settings.Username.Length > 0)
        {
            client.Credentials = new NetworkCredential(settings.Username, settings.Password);
        }
        using var message = new MailMessage { From = new MailAddress(settings.From), Subject = subject, Body = body };
        foreach (var address in to.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            message.To.Add(address);
        }
        try
        {
            await client.SendMailAsync(message, ct);
            return ServiceResult.Ok($"Mailed {to} through {settings.Host}:{settings.Port}");
        }
        catch (SmtpException e)
        {
            return ServiceResult.Fail($"Mail to {to} failed: {e.Message}");
        }
    }
}
