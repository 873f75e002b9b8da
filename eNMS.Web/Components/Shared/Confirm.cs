using MudBlazor;

namespace eNMS.Web.Components.Shared;

public static class Confirm
{
    /// <summary>Asks before a destructive action; true only when the user confirmed.</summary>
    public static async Task<bool> DeleteAsync(this IDialogService dialogs, string title, string message, string yes = "Delete")
    {
        ArgumentNullException.ThrowIfNull(dialogs);
        var answer = await dialogs.ShowMessageBoxAsync(new MessageBoxOptions
        {
            Title = title,
            Message = message,
            YesText = yes,
            CancelText = "Cancel",
        });
        return answer == true;
    }
}
