from homeward.lib.tests.test_authorization_matrix import Case, signed_in

MATRIX = {
    "telegram:settings": Case(signed_in(200)),
}
