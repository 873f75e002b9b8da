using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace eNMS.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ObjectAccessLists : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "EditAccess",
                table: "Schedules",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "Owner",
                table: "Schedules",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReadAccess",
                table: "Schedules",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "EditAccess",
                table: "Playbooks",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "Owner",
                table: "Playbooks",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReadAccess",
                table: "Playbooks",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "RunAccess",
                table: "Playbooks",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "EditAccess",
                table: "ComplianceRules",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "Owner",
                table: "ComplianceRules",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReadAccess",
                table: "ComplianceRules",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "EditAccess",
                table: "Schedules");

            migrationBuilder.DropColumn(
                name: "Owner",
                table: "Schedules");

            migrationBuilder.DropColumn(
                name: "ReadAccess",
                table: "Schedules");

            migrationBuilder.DropColumn(
                name: "EditAccess",
                table: "Playbooks");

            migrationBuilder.DropColumn(
                name: "Owner",
                table: "Playbooks");

            migrationBuilder.DropColumn(
                name: "ReadAccess",
                table: "Playbooks");

            migrationBuilder.DropColumn(
                name: "RunAccess",
                table: "Playbooks");

            migrationBuilder.DropColumn(
                name: "EditAccess",
                table: "ComplianceRules");

            migrationBuilder.DropColumn(
                name: "Owner",
                table: "ComplianceRules");

            migrationBuilder.DropColumn(
                name: "ReadAccess",
                table: "ComplianceRules");
        }
    }
}
